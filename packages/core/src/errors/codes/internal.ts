/** The one code for a thrown value that carries none (see `errorCode` and `toNextGenError`). */
export const INTERNAL_ERROR_CODES = ["NG_ERR_INTERNAL_ERROR"] as const;
