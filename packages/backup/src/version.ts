import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Version of `@nextgen/backup`, recorded in every manifest it writes. */
export const SDK_VERSION: string = (require("../package.json") as { version: string }).version;
