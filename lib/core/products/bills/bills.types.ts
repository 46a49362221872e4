/** Where and how to download a bill, as the apply call returns it. */
export interface BillInfo {
  /** 哈希类型: usually `SHA1`. */
  hash_type: string;
  /** 哈希值 of the uncompressed bill, checked while downloading. */
  hash_value: string;
  /** 下载地址, valid for five minutes. */
  download_url: string;
}
