/** XORs one byte of `buffer` in place: the smallest possible tampering. */
export function flipByte(buffer: Buffer, index: number, mask = 0x01): Buffer {
  buffer.writeUInt8(buffer.readUInt8(index) ^ mask, index);
  return buffer;
}
