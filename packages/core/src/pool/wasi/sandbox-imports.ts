// Wraps node:wasi's preview 1 imports for one call: stdin/stdout/stderr are in-memory
// buffers (bounded), preopens that were not declared writable refuse every mutation
// (write rights, create/truncate flags, mutating path calls), paths that resolve outside
// their preopen through a symlink are refused (see `path-guard.ts`), and refused file
// system calls are recorded so the host can tell an access denial from any other failure.
import { PathGuard } from "./path-guard.js";
import type { WasmMemory } from "./wasm-api.js";

/** WASI errno values used here. */
const ERRNO_SUCCESS = 0;
const ERRNO_ACCES = 2;
const ERRNO_BADF = 8;
const ERRNO_FAULT = 21;
const ERRNO_PERM = 63;
const ERRNO_ROFS = 69;
const ERRNO_NOTCAPABLE = 76;
const DENIALS = new Set([ERRNO_ACCES, ERRNO_BADF, ERRNO_PERM, ERRNO_ROFS, ERRNO_NOTCAPABLE]);

/** `oflags`: creat | excl | trunc. */
const MUTATING_OFLAGS = 1 | 4 | 8;
/** `fdflags`: append. */
const MUTATING_FDFLAGS = 1;
/** Rights that let an fd change data (fd_datasync, fd_write, fd_allocate, fd_filestat_set_size). */
const WRITE_RIGHTS = (1n << 0n) | (1n << 6n) | (1n << 8n) | (1n << 22n);
/**
 * Every right that changes the file system: the write rights plus path_create_directory,
 * path_create_file, path_link_target, path_rename_source/target, path_filestat_set_size/
 * times, fd_filestat_set_times, path_symlink, path_remove_directory, path_unlink_file.
 */
const MUTATING_RIGHTS =
  WRITE_RIGHTS |
  [9n, 10n, 12n, 16n, 17n, 19n, 20n, 23n, 24n, 25n, 27n].reduce((rights, bit) => rights | (1n << bit), 0n);
const MAX_DENIALS = 16;
const MAX_DENIED_PATH = 200;

/** Thrown out of an import to stop the module: stdout is over its bound. */
export class OutputLimitReached extends Error {}
/** Thrown out of an import to stop the module: memory is over its bound. */
export class MemoryLimitReached extends Error {}

type ImportFunction = (...args: never[]) => unknown;
type Imports = Record<string, ImportFunction>;

/** Bounds and grants of one call's sandbox. */
export interface SandboxLimits {
  stdin: Uint8Array;
  /** `[host directory, writable]` of fd 3, 4, … */
  preopens: readonly (readonly [string, boolean])[];
  memoryLimitBytes: number;
  maxOutputBytes: number;
  maxStderrBytes: number;
}

/** One call's sandbox: its imports, and what the module wrote and was refused. */
export class Sandbox {
  memory: WasmMemory | undefined;
  readonly denied: string[] = [];
  readonly #stdout: Uint8Array[] = [];
  #stdoutBytes = 0;
  readonly #stderr: Uint8Array[] = [];
  #stderrBytes = 0;
  #stdinOffset = 0;
  /** Standard fds still backed by the buffers (a module may close or renumber them). */
  readonly #captured = new Set([0, 1, 2]);
  /** fds the module may only read: read-only preopens and everything opened below them. */
  readonly #readOnly = new Set<number>();
  readonly #guard: PathGuard;
  readonly #limits: SandboxLimits;
  readonly imports: Imports;

  constructor(real: Imports, limits: SandboxLimits) {
    this.#limits = limits;
    limits.preopens.forEach(([, writable], index) => {
      if (!writable) this.#readOnly.add(3 + index);
    });
    this.#guard = new PathGuard(limits.preopens.map(([host]) => host));
    const imports: Imports = {};
    const own = this.#overrides(real);
    for (const [name, implementation] of Object.entries(real)) {
      const chosen = (own[name] ?? implementation) as (...args: unknown[]) => unknown;
      imports[name] = (...args: unknown[]) => {
        this.#checkMemory();
        return chosen(...args);
      };
    }
    this.imports = imports;
  }

  /** stdout so far. */
  stdout(): string {
    return Buffer.concat(this.#stdout).toString("utf8");
  }

  /** stderr so far (bounded). */
  stderr(): string {
    return Buffer.concat(this.#stderr).toString("utf8");
  }

  /** Throws when memory grew past the limit (a compiled module's own memory is not capped in its binary). */
  #checkMemory(): void {
    if (this.memory !== undefined && this.memory.buffer.byteLength > this.#limits.memoryLimitBytes) {
      throw new MemoryLimitReached(`memory grew to ${this.memory.buffer.byteLength} bytes`);
    }
  }

  #view(): DataView {
    if (this.memory === undefined) throw new Error("WASI call before the module's memory was known");
    return new DataView(this.memory.buffer);
  }

  /** The path at `pointer`, or undefined when it is not inside memory (WASI answers EFAULT). */
  #path(pointer: number, length: number): string | undefined {
    const buffer = this.memory?.buffer;
    if (buffer === undefined || pointer + length > buffer.byteLength) return undefined;
    return Buffer.from(buffer, pointer, length).toString("utf8");
  }

  #deny(call: string, pointer: number, length: number, errno: number): number {
    if (DENIALS.has(errno) && this.denied.length < MAX_DENIALS) {
      const path = this.#path(pointer, Math.min(length, MAX_DENIED_PATH)) ?? "?";
      this.denied.push(`${call} ${path}${length > MAX_DENIED_PATH ? "…" : ""}`);
    }
    return errno;
  }

  /** Whether the path at `[pointer, length]` below `fd` stays inside its preopen. */
  #allows(fd: number, pointer: number, length: number): boolean {
    const path = this.#path(pointer, length);
    return path === undefined || this.#guard.allows(fd, path);
  }

  /** Reads an iovec array: [pointer, length] pairs, or undefined when out of bounds. */
  #iovecs(iovs: number, count: number): [number, number][] | undefined {
    const view = this.#view();
    if (iovs + count * 8 > view.byteLength) return undefined;
    const out: [number, number][] = [];
    for (let index = 0; index < count; index++) {
      const pointer = view.getUint32(iovs + index * 8, true);
      const length = view.getUint32(iovs + index * 8 + 4, true);
      if (pointer + length > view.byteLength) return undefined;
      out.push([pointer, length]);
    }
    return out;
  }

  #overrides(real: Imports): Record<string, (...args: never[]) => unknown> {
    const call = real as Record<string, (...args: unknown[]) => number>;
    const readOnly = this.#readOnly;
    /**
     * A path call: `paths` are its `[fd index, path pointer index]` pairs (the path length
     * follows the pointer). A mutating call on a read-only fd gets EROFS; a path leaving its
     * preopen gets ENOTCAPABLE; the rest goes to WASI.
     */
    const guarded =
      (name: string, paths: [number, number][], mutating: boolean) =>
      (...args: number[]): number => {
        for (const [fdIndex, pointerIndex] of paths) {
          const fd = args[fdIndex] as number;
          const pointer = args[pointerIndex] as number;
          const length = args[pointerIndex + 1] as number;
          if (mutating && readOnly.has(fd)) return this.#deny(name, pointer, length, ERRNO_ROFS);
          if (!this.#allows(fd, pointer, length)) return this.#deny(name, pointer, length, ERRNO_NOTCAPABLE);
        }
        const pathAt = (paths[0] as [number, number])[1];
        const errno = (call[name] as (...values: number[]) => number)(...args);
        return this.#deny(name, args[pathAt] as number, args[pathAt + 1] as number, errno);
      };
    const refuseFd =
      (name: string) =>
      (fd: number, ...rest: unknown[]): number =>
        readOnly.has(fd) ? ERRNO_ROFS : (call[name] as (...values: unknown[]) => number)(fd, ...rest);
    return {
      fd_read: (fd: number, iovs: number, count: number, nread: number): number => {
        if (fd !== 0 || !this.#captured.has(0))
          return (call.fd_read as (...values: number[]) => number)(fd, iovs, count, nread);
        const vectors = this.#iovecs(iovs, count);
        if (vectors === undefined) return ERRNO_FAULT;
        const memory = new Uint8Array(this.#view().buffer);
        let total = 0;
        for (const [pointer, length] of vectors) {
          const chunk = this.#limits.stdin.subarray(this.#stdinOffset, this.#stdinOffset + length);
          memory.set(chunk, pointer);
          this.#stdinOffset += chunk.length;
          total += chunk.length;
          if (chunk.length < length) break;
        }
        this.#view().setUint32(nread, total, true);
        return ERRNO_SUCCESS;
      },
      fd_write: (fd: number, iovs: number, count: number, nwritten: number): number => {
        if (readOnly.has(fd)) return ERRNO_ROFS;
        if ((fd !== 1 && fd !== 2) || !this.#captured.has(fd)) {
          return (call.fd_write as (...values: number[]) => number)(fd, iovs, count, nwritten);
        }
        const vectors = this.#iovecs(iovs, count);
        if (vectors === undefined) return ERRNO_FAULT;
        const buffer = this.#view().buffer;
        let total = 0;
        for (const [pointer, length] of vectors) {
          const bytes = new Uint8Array(buffer.slice(pointer, pointer + length));
          total += length;
          if (fd === 1) {
            this.#stdoutBytes += length;
            if (this.#stdoutBytes > this.#limits.maxOutputBytes) throw new OutputLimitReached();
            this.#stdout.push(bytes);
          } else if (this.#stderrBytes < this.#limits.maxStderrBytes) {
            const kept = bytes.subarray(0, this.#limits.maxStderrBytes - this.#stderrBytes);
            this.#stderrBytes += kept.length;
            this.#stderr.push(kept);
          }
        }
        this.#view().setUint32(nwritten, total, true);
        return ERRNO_SUCCESS;
      },
      path_open: (
        fd: number,
        dirflags: number,
        path: number,
        pathLength: number,
        oflags: number,
        rightsBase: bigint,
        rightsInheriting: bigint,
        fdflags: number,
        opened: number,
      ): number => {
        if (!this.#allows(fd, path, pathLength)) return this.#deny("path_open", path, pathLength, ERRNO_NOTCAPABLE);
        const fromReadOnly = readOnly.has(fd);
        let base = rightsBase;
        let inheriting = rightsInheriting;
        if (fromReadOnly) {
          if ((oflags & MUTATING_OFLAGS) !== 0 || (fdflags & MUTATING_FDFLAGS) !== 0 || (base & WRITE_RIGHTS) !== 0n) {
            return this.#deny("path_open", path, pathLength, ERRNO_ROFS);
          }
          // What is opened below a read-only directory is read-only too, down the tree.
          base &= ~MUTATING_RIGHTS;
          inheriting &= ~MUTATING_RIGHTS;
        }
        const errno = (call.path_open as (...values: unknown[]) => number)(
          fd,
          dirflags,
          path,
          pathLength,
          oflags,
          base,
          inheriting,
          fdflags,
          opened,
        );
        if (errno === ERRNO_SUCCESS) {
          const openedFd = this.#view().getUint32(opened, true);
          if (fromReadOnly) readOnly.add(openedFd);
          this.#guard.opened(fd, this.#path(path, pathLength) ?? "", openedFd);
        }
        return this.#deny("path_open", path, pathLength, errno);
      },
      path_create_directory: guarded("path_create_directory", [[0, 1]], true),
      path_remove_directory: guarded("path_remove_directory", [[0, 1]], true),
      path_unlink_file: guarded("path_unlink_file", [[0, 1]], true),
      path_filestat_set_times: guarded("path_filestat_set_times", [[0, 2]], true),
      path_filestat_get: guarded("path_filestat_get", [[0, 2]], false),
      path_readlink: guarded("path_readlink", [[0, 1]], false),
      // A hard link of a read-only file into a writable directory would make it writable.
      path_link: guarded(
        "path_link",
        [
          [0, 2],
          [4, 5],
        ],
        true,
      ),
      path_rename: guarded(
        "path_rename",
        [
          [0, 1],
          [3, 4],
        ],
        true,
      ),
      path_symlink: guarded("path_symlink", [[2, 3]], true),
      fd_pwrite: refuseFd("fd_pwrite"),
      fd_allocate: refuseFd("fd_allocate"),
      fd_filestat_set_size: refuseFd("fd_filestat_set_size"),
      fd_filestat_set_times: refuseFd("fd_filestat_set_times"),
      fd_close: (fd: number): number => {
        const errno = (call.fd_close as (value: number) => number)(fd);
        if (errno === ERRNO_SUCCESS) {
          readOnly.delete(fd);
          this.#captured.delete(fd);
          this.#guard.closed(fd);
        }
        return errno;
      },
      fd_renumber: (from: number, to: number): number => {
        const errno = (call.fd_renumber as (...values: number[]) => number)(from, to);
        if (errno === ERRNO_SUCCESS) {
          // `to` now is what `from` was; `from` is closed.
          this.#captured.delete(to);
          this.#captured.delete(from);
          if (readOnly.delete(from)) readOnly.add(to);
          else readOnly.delete(to);
          this.#guard.renumbered(from, to);
        }
        return errno;
      },
    };
  }
}
