/**
 * Prefix a CPU name with "a" or "an" as the name is read aloud: "an aarch64", "a mips".
 * Names read letter by letter take "an" when the letter's name starts with a vowel sound:
 * "an x86_64", "an s390x", "an sh4", "an m68k", "an hppa", "an xtensa".
 * @internal
 */
export function withArticle(name: string): string {
  const vowelSound = /^[aeiou]/i.test(name) || /^(x86|xtensa|s390|sh4|m68k|hppa)/i.test(name);
  return `${vowelSound ? 'an' : 'a'} ${name}`;
}
