/** What an executable's header says it runs on. */
export interface BinaryFormat {
  readonly format: "elf" | "mach-o" | "pe";
  readonly architecture: "x64" | "arm64" | "other";
}

const ELF_MACHINE: Record<number, BinaryFormat["architecture"]> = { 0x3e: "x64", 0xb7: "arm64" };
/** CPU_TYPE_X86_64 and CPU_TYPE_ARM64 (CPU_ARCH_ABI64 | the 32-bit type). */
const MACH_O_CPU: Record<number, BinaryFormat["architecture"]> = {
  0x01000007: "x64",
  0x0100000c: "arm64",
};
/** IMAGE_FILE_MACHINE_AMD64 and IMAGE_FILE_MACHINE_ARM64. */
const PE_MACHINE: Record<number, BinaryFormat["architecture"]> = { 0x8664: "x64", 0xaa64: "arm64" };

/**
 * Reads the format and CPU of an executable from its header: ELF (e_machine), 64-bit Mach-O
 * (cputype, little-endian) or PE (the COFF machine after the "PE\0\0" signature). Undefined for
 * anything else, a universal Mach-O included.
 */
export function readBinaryFormat(binary: Buffer): BinaryFormat | undefined {
  if (binary.length < 64) return undefined;
  if (binary.readUInt32BE(0) === 0x7f454c46) {
    // EI_DATA 1: little-endian, which both x86-64 and aarch64 Linux builds are.
    if (binary[5] !== 1) return undefined;
    return { format: "elf", architecture: ELF_MACHINE[binary.readUInt16LE(18)] ?? "other" };
  }
  if (binary.readUInt32LE(0) === 0xfeedfacf) {
    return { format: "mach-o", architecture: MACH_O_CPU[binary.readUInt32LE(4)] ?? "other" };
  }
  if (binary.toString("latin1", 0, 2) === "MZ") {
    const peOffset = binary.readUInt32LE(0x3c);
    if (peOffset + 6 > binary.length || binary.readUInt32BE(peOffset) !== 0x50450000)
      return undefined;
    return { format: "pe", architecture: PE_MACHINE[binary.readUInt16LE(peOffset + 4)] ?? "other" };
  }
  return undefined;
}
