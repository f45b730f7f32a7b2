/**
 * The `template_id` value recorded in place of an id that would add unbounded series: a
 * failed create of an id the source does not hold (anyone can ask for any id), or any id
 * past {@link MAX_TEMPLATE_ID_VALUES} distinct ones.
 * @internal
 */
export const OTHER_TEMPLATE_ID = "_OTHER";

/**
 * Most distinct template ids recorded as label values; later ones become
 * {@link OTHER_TEMPLATE_ID}. Ids of templates that exist are configuration (a directory
 * of templates), so a real service stays far below it.
 * @internal
 */
export const MAX_TEMPLATE_ID_VALUES = 1000;

// A create that failed with one of these never found a template under that id: the id is
// the caller's input, not configuration.
const UNKNOWN_ID_ERRORS = new Set(["NG_ERR_TEMPLATE_NOT_FOUND", "NG_ERR_SOURCE_ID_INVALID"]);

/**
 * Bounds the template ids that reach metric labels (`includeTemplateId: true`): a failed
 * create of an id that does not exist is recorded as {@link OTHER_TEMPLATE_ID}, and past
 * `limit` distinct ids every new one is too. Returns the value to record.
 * @internal
 */
export function templateIdLabel(
  limit: number = MAX_TEMPLATE_ID_VALUES,
): (templateId: string, errorType?: string) => string {
  const seen = new Set<string>();
  return (templateId, errorType) => {
    if (errorType !== undefined && UNKNOWN_ID_ERRORS.has(errorType)) return OTHER_TEMPLATE_ID;
    if (seen.has(templateId)) return templateId;
    if (seen.size >= limit) return OTHER_TEMPLATE_ID;
    seen.add(templateId);
    return templateId;
  };
}
