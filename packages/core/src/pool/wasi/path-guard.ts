// WASI resolves a module's paths lexically against the preopened directory, but follows
// symbolic links inside it wherever they point (a link in a granted directory to /etc
// opens /etc/passwd). The guard resolves every path the module names the way the host
// will — symlinks included — and refuses those that end outside the preopen they start
// from. It knows the host path of every directory fd (preopens, and what was opened below
// them), so it can check paths relative to any of them.
import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve, sep } from "node:path";

interface FdPlace {
  /** Real host path of what the fd refers to. */
  path: string;
  /** Real host path of the preopen it derives from: nothing may resolve outside it. */
  root: string;
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** `realpath` of the longest existing prefix of `path`, with the rest appended. */
function realPrefix(path: string): string {
  let existing = path;
  let rest = "";
  for (;;) {
    try {
      const real = realpathSync(existing);
      return rest === "" ? real : resolve(real, rest);
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest = rest === "" ? basename(existing) : `${basename(existing)}${sep}${rest}`;
      existing = parent;
    }
  }
}

/** Where each directory fd of one call points on the host. */
export class PathGuard {
  readonly #fds = new Map<number, FdPlace>();

  /** `hosts[i]` is the host directory of fd `3 + i`. */
  constructor(hosts: readonly string[]) {
    hosts.forEach((host, index) => {
      const real = realPrefix(host);
      this.#fds.set(3 + index, { path: real, root: real });
    });
  }

  /**
   * Whether `path`, relative to `fd`, stays inside `fd`'s preopen once symlinks are
   * resolved. An fd the guard does not know is left to WASI (it answers `EBADF`).
   */
  allows(fd: number, path: string): boolean {
    const place = this.#fds.get(fd);
    if (place === undefined) return true;
    if (isAbsolute(path) || path.includes("\0")) return false;
    const candidate = resolve(place.path, path);
    return inside(candidate, place.root) && inside(realPrefix(candidate), place.root);
  }

  /** Records the fd `path_open` returned for `path` below `fd`. */
  opened(fd: number, path: string, opened: number): void {
    const place = this.#fds.get(fd);
    if (place !== undefined) this.#fds.set(opened, { path: realPrefix(resolve(place.path, path)), root: place.root });
  }

  /** `fd` was closed. */
  closed(fd: number): void {
    this.#fds.delete(fd);
  }

  /** `from` now lives at `to`. */
  renumbered(from: number, to: number): void {
    const place = this.#fds.get(from);
    this.#fds.delete(from);
    if (place === undefined) this.#fds.delete(to);
    else this.#fds.set(to, place);
  }
}
