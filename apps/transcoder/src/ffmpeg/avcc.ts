/**
 * RFC 6381 CODECS strings from an fMP4 init segment. The H.264 string is `avc1.PPCCLL`: profile_idc,
 * the constraint-flags byte and level_idc from the AVCDecoderConfigurationRecord (ISO/IEC 14496-15
 * 5.3.3.1), each as two hex digits. Reading them from what x264 wrote beats guessing from our settings:
 * the encoder picks the level.
 */

/** AAC-LC (object type 2) in MPEG-4 audio (0x40); our encoder only writes AAC-LC. */
export const AAC_LC_CODECS = 'mp4a.40.2';

/** Boxes that only contain other boxes, on the path moov/trak/mdia/minf/stbl/stsd/avc1/avcC. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);
/** stsd: version+flags (4) and entry_count (4) before its sample entries. */
const STSD_HEADER = 8;
/** VisualSampleEntry fields before its child boxes (ISO/IEC 14496-12 12.1.3). */
const VISUAL_SAMPLE_ENTRY_HEADER = 78;

/** The avcC payload (AVCDecoderConfigurationRecord) of the first H.264 track, or undefined. */
export function findAvcC(data: Buffer): Buffer | undefined {
  return walk(data, 0, data.length);
}

function walk(data: Buffer, start: number, end: number): Buffer | undefined {
  let pos = start;
  while (pos + 8 <= end) {
    let size = data.readUInt32BE(pos);
    const type = data.toString('latin1', pos + 4, pos + 8);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > end) return undefined;
      size = Number(data.readBigUInt64BE(pos + 8));
      header = 16;
    } else if (size === 0) {
      size = end - pos; // box runs to the end of its parent
    }
    if (size < header || pos + size > end) return undefined;
    const bodyStart = pos + header;
    const boxEnd = pos + size;
    let found: Buffer | undefined;
    if (type === 'avcC') found = data.subarray(bodyStart, boxEnd);
    else if (CONTAINERS.has(type)) found = walk(data, bodyStart, boxEnd);
    else if (type === 'stsd') found = walk(data, bodyStart + STSD_HEADER, boxEnd);
    else if (type === 'avc1' || type === 'avc3') found = walk(data, bodyStart + VISUAL_SAMPLE_ENTRY_HEADER, boxEnd);
    if (found) return found;
    pos = boxEnd;
  }
  return undefined;
}

/** `avc1.64001f` from an AVCDecoderConfigurationRecord. */
export function avcCodecString(avcC: Buffer): string {
  // byte 0 configurationVersion (1), 1 AVCProfileIndication, 2 profile_compatibility, 3 AVCLevelIndication
  if (avcC.length < 4 || avcC[0] !== 1) throw new Error('not an AVCDecoderConfigurationRecord');
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  return `avc1.${hex(avcC[1])}${hex(avcC[2])}${hex(avcC[3])}`;
}

/** CODECS for the H.264 track of an init segment; throws when the init has no avcC. */
export function videoCodecsFromInit(init: Buffer): string {
  const avcC = findAvcC(init);
  if (!avcC) throw new Error('init segment has no avcC box');
  return avcCodecString(avcC);
}
