// Issue 19: `sre-kit budget --target 99.9 --json` printed `"target":0.9990000000000001` (99.9 / 100 in
// binary floating point), and every figure derived from it carried the error. The target a user typed
// as a percentage must come out as the ratio they meant.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

async function budgetJson(target: string): Promise<{ target: number; budget: { ratio: number } }> {
  let out = '';
  const code = await runCli(
    ['budget', '--target', target, '--window', '30d', '--json'],
    { stdout: (text) => (out += text), stderr: () => undefined, env: {} },
    '0.0.0',
  );
  expect(code).toBe(0);
  return JSON.parse(out) as { target: number; budget: { ratio: number } };
}

describe('sre-kit budget --target', () => {
  it.each([
    ['99.9', 0.999, 0.001],
    ['99.95', 0.9995, 0.0005],
    ['99.99', 0.9999, 0.0001],
    ['99.999', 0.99999, 0.00001],
    ['95', 0.95, 0.05],
  ])('--target %s is the ratio %s with a budget of %s', async (typed, ratio, budget) => {
    const answer = await budgetJson(typed);
    expect(answer.target).toBe(ratio);
    expect(answer.budget.ratio).toBe(budget);
  });
});
