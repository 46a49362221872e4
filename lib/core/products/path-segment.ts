/** A segment of a path, escaped the way it is signed and sent. */
export const segment = (value: string): string => encodeURIComponent(value);
