import type { Incident, IncidentRecorder, TimelineEntry } from '../../incidents/index.js';
import type {
  AgentAcknowledgeIncidentRequest,
  AgentAddIncidentNoteRequest,
  AgentResolveIncidentRequest,
} from './request-schemas.js';
import type { IncidentActionResult } from './response-schemas.js';

// The protocol's state-changing incident actions. The caller's identity comes from the transport that
// carried the request (an MCP session, a token), never from the request itself, so an agent cannot
// write someone else's name into a timeline.

type IncidentActionRequest =
  AgentAcknowledgeIncidentRequest | AgentResolveIncidentRequest | AgentAddIncidentNoteRequest;

/**
 * Runs one incident action as `caller` and describes the incident after it. Undefined when the
 * recorder holds no incident with the request's id.
 */
export async function runIncidentAction(
  recorder: IncidentRecorder,
  request: IncidentActionRequest,
  caller: string,
): Promise<IncidentActionResult | undefined> {
  await recorder.ready();
  const before = recorder.get(request.id);
  if (before === undefined) return undefined;
  let after: Incident;
  switch (request.action) {
    case 'acknowledge_incident':
      after = await recorder.acknowledge(request.id, { by: caller });
      break;
    case 'resolve_incident':
      after = await recorder.resolve(request.id, {
        by: caller,
        ...(request.resolution === undefined ? {} : { resolution: request.resolution }),
        ...(request.root_cause === undefined ? {} : { rootCause: request.root_cause }),
      });
      break;
    case 'add_incident_note':
      after = await recorder.note(request.id, request.text, { by: caller });
      break;
  }
  return describe(before, after);
}

function describe(before: Incident, after: Incident): IncidentActionResult {
  // The recorder appends one entry per change; an unchanged incident (a second acknowledge) has none.
  const changed =
    after !== before &&
    after.timeline.length + after.timelineDropped > before.timeline.length + before.timelineDropped;
  const entry: TimelineEntry | undefined = changed ? after.timeline.at(-1) : undefined;
  return {
    incident_id: after.id,
    title: after.title,
    severity: after.severity,
    status: after.status,
    changed,
    entry:
      entry === undefined
        ? null
        : { at: new Date(entry.at).toISOString(), kind: entry.kind, text: entry.text, by: entry.by ?? '' },
  };
}
