/**
 * The template format as data: one rule tree that drives the hand-written validator
 * and generates the shipped JSON Schema, so the two cannot drift apart.
 */

/** Rule of one JSON value. `nullable` values accept `null` (a child removes the inherited key). */
export type SchemaRule =
  | StringRule
  | NumberRule
  | ConstRule
  | ArrayRule
  | ObjectRule
  | UnionRule
  | RecordRule
  | JsonSchemaRule;

interface RuleBase {
  /** Shown in editors (the JSON Schema `description`). */
  description: string;
  /** Whether `null` is accepted. */
  nullable?: boolean;
}

/** A string, optionally constrained. */
export interface StringRule extends RuleBase {
  type: "string";
  minLength?: number;
  maxLength?: number;
  /** ECMA-262 pattern (JSON Schema dialect), anchored. */
  pattern?: string;
  /** What the pattern means, for messages (`namespace/name of lowercase a-z, 0-9 and -`). */
  patternHint?: string;
  enum?: readonly string[];
  /** Suggestions for editors, not a constraint. */
  examples?: readonly string[];
}

/** A number or an integer. */
export interface NumberRule extends RuleBase {
  type: "number" | "integer";
  minimum?: number;
  maximum?: number;
}

/** Exactly one value. */
export interface ConstRule extends RuleBase {
  type: "const";
  value: number;
}

/** An array. */
export interface ArrayRule extends RuleBase {
  type: "array";
  items: SchemaRule;
  maxItems: number;
  uniqueItems?: boolean;
}

/** An object with known properties only. */
export interface ObjectRule extends RuleBase {
  type: "object";
  properties: Readonly<Record<string, SchemaRule>>;
  required?: readonly string[];
}

/** One of several rules, chosen by the value's JSON type (`string` or `array`, …). */
export interface UnionRule extends RuleBase {
  type: "union";
  variants: readonly (StringRule | ArrayRule | ObjectRule | NumberRule)[];
}

/** An object whose keys match a pattern and whose values share one rule. */
export interface RecordRule extends RuleBase {
  type: "record";
  keyPattern: string;
  keyHint: string;
  values: SchemaRule;
  maxProperties: number;
}

/** A JSON Schema (2020-12 subset checked by core), as a value. */
export interface JsonSchemaRule extends RuleBase {
  type: "jsonSchema";
}

const SEGMENT = "[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?";

/** `namespace/name`: two lowercase segments of `[a-z0-9-]`, no leading or trailing `-`, each ≤ 64. */
export const TEMPLATE_ID_PATTERN: string = `^${SEGMENT}/${SEGMENT}$`;
const ID_HINT = 'namespace/name: two segments of lowercase a-z, 0-9 and "-" (not first or last), each at most 64';

/** Semantic Versioning 2.0.0 (the regular expression published at semver.org). */
export const SEMVER_PATTERN: string =
  "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)" +
  "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?" +
  "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$";

/** Built-in roles; a host may register kinds for other role names. */
export const BUILTIN_ROLES: readonly string[] = ["specialist", "generalist", "coordinator", "analyzer", "validator"];
/** Retention tiers. */
export const TEMPLATE_TIERS: readonly string[] = ["critical", "production", "development", "temporary"];

const NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
const NAME_HINT = 'a name of letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128';
/** A tool name: `[a-z0-9][a-z0-9._-]*`, optionally `<server>/<tool>` (one `/`). */
const TOOL_NAME_RULE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,127})?$";
const TOOL_NAME_HINT = 'a tool name of letters, digits, ".", "_" and "-", optionally <server>/<tool>';
/** Longest single instruction string, and longest resolved system prompt, in characters. */
export const MAX_INSTRUCTION_LENGTH = 32_000;
export const MAX_INSTRUCTIONS_TOTAL = 100_000;
/** The tool-loop limit when a template sets no `config.maxSteps`. */
export const DEFAULT_MAX_STEPS = 10;
const BASE64URL_PATTERN = "^[A-Za-z0-9_-]+$";

const nameList = (description: string): ArrayRule => ({
  type: "array",
  description,
  nullable: true,
  maxItems: 256,
  uniqueItems: true,
  items: { type: "string", description: "One name.", pattern: NAME_PATTERN, patternHint: NAME_HINT },
});

/** Properties a template inherits through `extends` and `create` overrides may change. */
const INHERITABLE: Readonly<Record<string, SchemaRule>> = {
  name: { type: "string", description: "Human-readable name.", nullable: true, minLength: 1, maxLength: 200 },
  role: {
    type: "string",
    description: "Role, which selects the agent kind: a built-in role or one the host registers.",
    nullable: true,
    pattern: "^[a-z][a-z0-9-]{0,63}$",
    patternHint: 'lowercase a-z, 0-9 and "-", starting with a letter, at most 64',
    examples: BUILTIN_ROLES,
  },
  domain: {
    type: "string",
    description: "Domain of expertise (security, performance, …).",
    nullable: true,
    minLength: 1,
    maxLength: 100,
  },
  description: { type: "string", description: "What the agent does.", nullable: true, minLength: 1, maxLength: 4000 },
  capabilities: nameList("What the agent can do (ordered union along the extends chain)."),
  tools: {
    ...nameList("Names of tools, resolved against the host's tool registry (ordered union along the chain)."),
    items: {
      type: "string",
      description: "One tool name.",
      pattern: TOOL_NAME_RULE_PATTERN,
      patternHint: TOOL_NAME_HINT,
    },
  },
  instructions: {
    type: "union",
    description:
      "The system prompt: a string, or an array of strings joined with blank lines (arrays merge along the chain as an ordered union, parent first).",
    nullable: true,
    variants: [
      { type: "string", description: "The system prompt.", minLength: 1, maxLength: MAX_INSTRUCTION_LENGTH },
      {
        type: "array",
        description: "Parts of the system prompt, joined with blank lines.",
        maxItems: 64,
        uniqueItems: true,
        items: { type: "string", description: "One part.", minLength: 1, maxLength: MAX_INSTRUCTION_LENGTH },
      },
    ],
  },
  output: {
    type: "jsonSchema",
    description:
      "JSON Schema (2020-12 subset, checked at load) the final answer must satisfy. Replaced, not merged, along the chain.",
    nullable: true,
  },
  agents: {
    type: "array",
    description: "Ids of templates this agent may delegate to (ordered union along the chain).",
    nullable: true,
    maxItems: 64,
    uniqueItems: true,
    items: { type: "string", description: "A template id.", pattern: TEMPLATE_ID_PATTERN, patternHint: ID_HINT },
  },
  toolPins: {
    type: "record",
    description: "Digests pinned per tool name; every key must be a tool the template grants.",
    nullable: true,
    keyPattern: TOOL_NAME_RULE_PATTERN,
    keyHint: TOOL_NAME_HINT,
    maxProperties: 256,
    values: {
      type: "string",
      description: "sha256: and 64 lowercase hex digits.",
      pattern: "^sha256:[0-9a-f]{64}$",
      patternHint: '"sha256:" and 64 lowercase hex digits',
    },
  },
  config: {
    type: "object",
    description: "Model and run settings (merged deeply along the chain).",
    nullable: true,
    properties: {
      model: {
        type: "string",
        description:
          'Model name resolved through the host\'s model registry: an alias ("fast", "reasoning") or a provider id ("openai/gpt-4o"). Unregistered names are refused at load.',
        nullable: true,
        minLength: 1,
        maxLength: 200,
      },
      maxSteps: {
        type: "integer",
        description: `Most model steps (calls) in one run's tool loop (default ${DEFAULT_MAX_STEPS}).`,
        nullable: true,
        minimum: 1,
        maximum: 100,
      },
      temperature: { type: "number", description: "Sampling temperature.", nullable: true, minimum: 0, maximum: 2 },
      maxTokens: {
        type: "integer",
        description: "Maximum tokens per model call.",
        nullable: true,
        minimum: 1,
        maximum: 10_000_000,
      },
      timeoutMs: {
        type: "integer",
        description: "Time limit of one run attempt, in milliseconds.",
        nullable: true,
        minimum: 1,
        maximum: 86_400_000,
      },
      maxRetries: {
        type: "integer",
        description: "Retries after a failed attempt (0 = try once).",
        nullable: true,
        minimum: 0,
        maximum: 10,
      },
    },
  },
  metadata: {
    type: "object",
    description: "Descriptive metadata (merged deeply along the chain).",
    nullable: true,
    properties: {
      tier: {
        type: "string",
        description: "Retention tier (drives backup retention).",
        nullable: true,
        enum: TEMPLATE_TIERS,
      },
      owner: { type: "string", description: "Owning team or person.", nullable: true, minLength: 1, maxLength: 200 },
      tags: {
        type: "array",
        description: "Free-form tags.",
        nullable: true,
        maxItems: 64,
        uniqueItems: true,
        items: { type: "string", description: "One tag.", minLength: 1, maxLength: 64 },
      },
    },
  },
};

/** A template file, schemaVersion 1. */
export const TEMPLATE_RULE: ObjectRule = {
  type: "object",
  description: "An agent template (schemaVersion 1).",
  required: ["schemaVersion", "id", "version"],
  properties: {
    $schema: { type: "string", description: "URI of this JSON Schema, for editors.", minLength: 1, maxLength: 500 },
    schemaVersion: { type: "const", description: "Format version: always 1.", value: 1 },
    id: {
      type: "string",
      description: "namespace/name; also the file's path below a directory source.",
      pattern: TEMPLATE_ID_PATTERN,
      patternHint: ID_HINT,
    },
    version: {
      type: "string",
      description: "Semantic version (semver 2.0.0).",
      maxLength: 128,
      pattern: SEMVER_PATTERN,
      patternHint: "a semantic version such as 1.2.0",
    },
    extends: {
      type: "string",
      description: "Id of the parent template whose fields this one inherits.",
      pattern: TEMPLATE_ID_PATTERN,
      patternHint: ID_HINT,
    },
    ...INHERITABLE,
    signatures: {
      type: "array",
      description: "Detached JWS signatures over the canonical bytes (not part of them).",
      maxItems: 32,
      items: {
        type: "object",
        description: "One detached JWS (RFC 7515) signature.",
        required: ["protected", "signature"],
        properties: {
          protected: {
            type: "string",
            description: "Base64url of the JWS protected header.",
            maxLength: 4096,
            pattern: BASE64URL_PATTERN,
            patternHint: "base64url",
          },
          signature: {
            type: "string",
            description: "Base64url of the signature.",
            maxLength: 4096,
            pattern: BASE64URL_PATTERN,
            patternHint: "base64url",
          },
        },
      },
    },
  },
};

/** Fields every template has once `extends` is resolved. */
export const RESOLVED_REQUIRED: readonly string[] = ["name", "role", "description"];

/** What `factory.create(id, { overrides })` may change. Name and description cannot be removed. */
export const OVERRIDES_RULE: ObjectRule = {
  type: "object",
  description: "Overrides applied to a resolved template at create time.",
  properties: {
    name: { ...(INHERITABLE.name as StringRule), nullable: false },
    description: { ...(INHERITABLE.description as StringRule), nullable: false },
    domain: INHERITABLE.domain!,
    capabilities: INHERITABLE.capabilities!,
    tools: INHERITABLE.tools!,
    config: INHERITABLE.config!,
    metadata: INHERITABLE.metadata!,
  },
};
