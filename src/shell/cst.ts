// tree-sitter-bash's syntax tree as parse.ts reads it: each node property it asks for is fetched from the wasm tree
// once and kept in plain JavaScript. Every property of a web-tree-sitter Node is a call into wasm (and `type` is one
// each time it is read), so keeping them saves the extractor's repeated reads; and because the extractor's reads
// depend on nothing but the script text, the nodes it read for one text serve any later script with the same text
// after the wasm tree is freed (shared RUN scripts across the Dockerfiles of one lint: see shareShellTrees).
import type { Node } from "web-tree-sitter";

/** Thrown when a kept node is asked for something it never read while its tree was alive. */
export class ReleasedTreeError extends Error {
  constructor() {
    super("syntax tree node read after its tree was freed");
  }
}

/** Whether the wasm tree behind a set of nodes may still be read. */
export interface TreeLife {
  alive: boolean;
}

export class CstNode {
  readonly startIndex: number;
  readonly #node: Node;
  readonly #life: TreeLife;
  #type: string | undefined;
  #isNamed: boolean | undefined;
  #endIndex: number | undefined;
  #children: CstNode[] | undefined;
  #hasError: boolean | undefined;
  #isError: boolean | undefined;
  #isMissing: boolean | undefined;

  constructor(node: Node, life: TreeLife) {
    this.startIndex = node.startIndex;
    this.#node = node;
    this.#life = life;
  }

  /** The wasm node, while its tree is alive. */
  #live(): Node {
    if (!this.#life.alive) throw new ReleasedTreeError();
    return this.#node;
  }

  get type(): string {
    return (this.#type ??= this.#live().type);
  }

  get isNamed(): boolean {
    return (this.#isNamed ??= this.#live().isNamed);
  }

  get endIndex(): number {
    return (this.#endIndex ??= this.#live().endIndex);
  }

  get children(): CstNode[] {
    if (this.#children === undefined) {
      const life = this.#life;
      this.#children = this.#live().children.map((c) => new CstNode(c, life));
    }
    return this.#children;
  }

  /** The first child, named or not (web-tree-sitter's firstChild). */
  get firstChild(): CstNode | null {
    return this.children[0] ?? null;
  }

  get hasError(): boolean {
    return (this.#hasError ??= this.#live().hasError);
  }

  get isError(): boolean {
    return (this.#isError ??= this.#live().isError);
  }

  get isMissing(): boolean {
    return (this.#isMissing ??= this.#live().isMissing);
  }
}
