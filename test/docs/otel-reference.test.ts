// The OpenTelemetry instruments table (docs/otel.md, under `<!-- table: otel-instruments -->`) must list
// exactly what the bridge creates: every instrument's name, type, unit and attributes, in order.
import { describe, expect, it } from 'vitest';
import { BRIDGE_INSTRUMENTS } from 'sre-kit/otel';
import { codeSpans, docFiles, markedTables } from './markdown.js';

describe('docs/otel.md instruments table', () => {
  it('is exactly BRIDGE_INSTRUMENTS', () => {
    const doc = docFiles().find((d) => d.path === 'docs/otel.md');
    expect(doc).toBeDefined();
    const [table] = markedTables(doc!, 'otel-instruments');
    expect(table?.header).toEqual(['instrument', 'type', 'unit', 'attributes']);
    const rows = table!.rows.map(({ cells: [name = '', type = '', unit = '', attributes = ''] }) => ({
      name: codeSpans(name)[0],
      type,
      unit: codeSpans(unit)[0],
      attributes: codeSpans(attributes),
    }));
    expect(rows).toEqual(
      BRIDGE_INSTRUMENTS.map((i) => ({
        name: i.name,
        type: i.type,
        unit: i.unit,
        attributes: [...i.attributes],
      })),
    );
  });
});
