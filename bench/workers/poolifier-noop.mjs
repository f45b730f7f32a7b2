import { ThreadWorker } from "poolifier";
import noop from "./noop.mjs";

export default new ThreadWorker(noop);
