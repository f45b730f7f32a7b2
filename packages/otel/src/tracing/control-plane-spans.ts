import type { CodecDecodeContext, TemplateResolveContext, TrustVerifyContext } from "@nextgen/core";
import { CODEC_DECODE_CHANNEL, TEMPLATE_RESOLVE_CHANNEL, TRUST_VERIFY_CHANNEL } from "@nextgen/core";
import { ATTR } from "./attributes.js";
import { setDefined } from "./compact.js";
import { resolvedOrigin } from "./resolve-origin.js";
import { markError, type SpanSpec } from "./span-channel.js";

/**
 * `template.resolve`: where the template came from (the cache tier whose lookup served it
 * inside this span, else what core reports) and its `extends` chain.
 * @internal
 */
export const templateResolveSpan: SpanSpec<TemplateResolveContext> = {
  channel: TEMPLATE_RESOLVE_CHANNEL,
  name: () => "template.resolve",
  startAttributes: (context) => ({ [ATTR.templateId]: context.templateId }),
  finish: (context, span) => {
    setDefined(span, ATTR.templateVersion, context.version);
    setDefined(span, ATTR.templateDigest, context.digest);
    setDefined(span, ATTR.templateOrigin, resolvedOrigin(span, context.templateId, context.origin));
    setDefined(span, ATTR.templateChain, context.chain);
  },
};

/** `trust.verify`: key ids, verdict and refusal reason; a refusal is an error status. @internal */
export const trustVerifySpan: SpanSpec<TrustVerifyContext> = {
  channel: TRUST_VERIFY_CHANNEL,
  name: () => "trust.verify",
  startAttributes: (context) => ({
    [ATTR.templateId]: context.templateId,
    [ATTR.templateVersion]: context.version,
    [ATTR.templateDigest]: context.digest,
    [ATTR.trustKeyIds]: context.keyIds,
  }),
  finish: (context, span) => {
    setDefined(span, ATTR.trustVerdict, context.verdict);
    setDefined(span, ATTR.trustReason, context.reason);
    setDefined(span, ATTR.trustMemoized, context.memoized);
    // Some verifiers only know which keys counted once they finished.
    if (context.keyIds.length > 0) span.setAttribute(ATTR.trustKeyIds, context.keyIds);
    if (context.verdict === "refused" && !("error" in context)) {
      markError(span, undefined, context.reason ?? "refused");
    }
  },
};

/** `codec.decode`: backend, bytes in and out, dictionary id. @internal */
export const codecDecodeSpan: SpanSpec<CodecDecodeContext> = {
  channel: CODEC_DECODE_CHANNEL,
  name: () => "codec.decode",
  startAttributes: (context) =>
    context.dictionaryId === undefined
      ? { [ATTR.codecBackend]: context.backend, [ATTR.codecBytesIn]: context.bytesIn }
      : {
          [ATTR.codecBackend]: context.backend,
          [ATTR.codecBytesIn]: context.bytesIn,
          [ATTR.codecDictionaryId]: context.dictionaryId,
        },
  finish: (context, span) => setDefined(span, ATTR.codecBytesOut, context.bytesOut),
};
