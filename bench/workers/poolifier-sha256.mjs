import { ThreadWorker } from "poolifier";
import sha256 from "./sha256.mjs";

export default new ThreadWorker(sha256);
