export * from "./merkle/index.js";
export * from "./errors.js";
