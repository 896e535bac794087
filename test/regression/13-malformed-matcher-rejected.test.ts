// Issue 13, item 19: `severity=="critical` (a doubled `=` and an unbalanced quote) was accepted as
// `severity = '="critical'`, which matches nothing, so criticals silently went to the fallback route.
// A malformed matcher is a ConfigError naming the route and the matcher.
import { describe, expect, it } from 'vitest';
import { ConfigError, createAlertRouter, type Notifier } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const notifier = (name: string): Notifier & { readonly calls: string[] } => {
  const calls: string[] = [];
  return {
    name,
    calls,
    notify: (notification) => {
      calls.push(notification.receiver);
      return Promise.resolve();
    },
  };
};

function configError(matcher: string, name?: string): ConfigError {
  try {
    createAlertRouter({
      routes: [
        { name: 'chat', matchers: ['severity="warning"'], notifiers: [notifier('chat')] },
        { ...(name === undefined ? {} : { name }), matchers: [matcher], notifiers: [notifier('pager')] },
        { notifiers: [notifier('fallback')] },
      ],
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`${matcher} was accepted`);
}

describe('regression #13 (19): a malformed matcher is a ConfigError naming the route and the matcher', () => {
  it.each([
    'severity=="critical',
    'severity=="critical"',
    'severity="critical',
    'severity=critical"',
    'severity="critical" extra',
    'severity="crit"ical"',
    "severity='critical'",
    'severity=crit ical',
    'service=~api|web"',
    'env=',
    'env=!prod',
    'env=~~prod',
    'env="a",team="b"',
  ])('%s', (matcher) => {
    const error = configError(matcher, 'pager');
    expect(error.message).toContain('routes[1].matchers[0]');
    expect(error.message).toContain('route "pager"');
    expect(error.message).toContain(JSON.stringify(matcher));
  });

  it('an unnamed route is named by its default receiver name', () => {
    expect(configError('severity=="critical').message).toContain('route "route-1"');
  });

  it('well-formed matchers still route as before', async () => {
    const clock = createFakeClock();
    const pager = notifier('pager');
    const fallback = notifier('fallback');
    const router = createAlertRouter(
      {
        routes: [
          {
            name: 'pager',
            matchers: [
              'severity="critical"',
              ' service =~ "api|web" ',
              'env!=""',
              'team!~"infra.*"',
              'region=eu',
              'note="say \\"hi\\""',
            ],
            notifiers: [pager],
          },
          { name: 'fallback', notifiers: [fallback] },
        ],
        groupWaitMs: 0,
      },
      { clock },
    );
    const labels = { env: 'prod', team: 'payments', region: 'eu', note: 'say "hi"' };
    router.send({ name: 'Down', severity: 'critical', service: 'api', summary: '', labels });
    router.send({ name: 'Down', severity: 'warning', service: 'api', summary: '', labels });
    await router.flush();
    expect(pager.calls).toEqual(['pager']);
    expect(fallback.calls).toEqual(['fallback']);
    await router.close();
  });
});
