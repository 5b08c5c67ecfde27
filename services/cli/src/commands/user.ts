export async function userCommand(_config: unknown, _args: string[]): Promise<number> {
  return 2;
}
