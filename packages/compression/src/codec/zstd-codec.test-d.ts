import type { Codec } from "@nextgen/core";
import { expectTypeOf, test } from "vitest";
import type { ZstdCodec } from "./zstd-codec.js";

test("ZstdCodec satisfies core's Codec contract structurally", () => {
  expectTypeOf<ZstdCodec>().toExtend<Codec>();
  expectTypeOf<ZstdCodec["backend"]>().toExtend<Codec["backend"]>();
});
