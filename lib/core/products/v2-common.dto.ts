import 'reflect-metadata';

/** API v2 merchant order numbers: 1–32 of letters, digits, `_ - | * @`. */
export const V2_OUT_TRADE_NO = /^[A-Za-z0-9_\-|*@]{1,32}$/;
/** The message of every API v2 amount in fen that is not a positive whole number. */
export const V2_FEN_MESSAGE = 'must be a positive whole number of fen (分): 100 means ¥1.00';
/** API v2 bill dates: `YYYYMMDD`. */
export const V2_BILL_DATE = /^\d{8}$/;
