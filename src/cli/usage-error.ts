/**
 * A command line Closer cannot run as given (an unknown option, a bad date, a workspace that does
 * not exist): the CLI prints `closer <command>: <message>` on stderr and exits 2, having written
 * nothing on stdout.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";

  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}
