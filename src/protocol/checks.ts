/**
 * Type checks shared by every validator. Captured when the module loads: the page world runs the
 * command validators, and by then the page may have replaced Array.isArray or Number.isFinite (in
 * the page world this module loads before any page script).
 */
export const isArray = Array.isArray;
const isFiniteNumber = Number.isFinite;

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNumber = (v: unknown): v is number => typeof v === 'number' && isFiniteNumber(v);
/** A time (epoch ms) a Date can hold: anything else makes `new Date(t).toISOString()` throw. */
export const isTime = (v: unknown): v is number => isNumber(v) && Math.abs(v) <= 8.64e15;
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !isArray(v);
