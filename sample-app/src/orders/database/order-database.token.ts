/** Nest token of the orders' database (an `OrderDatabase`, see order-database.ts). */
export const ORDER_DATABASE = Symbol('ORDER_DATABASE');
