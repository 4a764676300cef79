// Generated shell scripts for the fast-path tests: the subset src/shell/fast.ts reads (simple commands, prefix
// assignments, quotes, escapes, expansions, `$(...)`, the list and pipe operators, comments, simple redirections,
// `sh -c` scripts, compound commands, tests, `!`), and the same mixed with near-misses it must leave to
// tree-sitter-bash (backticks, braces, keywords out of place, heredocs, odd redirections, Unicode blanks, stray
// operators).
import fc from "fast-check";

/** Picks from `common` and, when near-misses are wanted, now and then from `rare`. */
function withRare<T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>, nearMisses: boolean, weight = 1): fc.Arbitrary<T> {
  return nearMisses ? fc.oneof({ weight: 8, arbitrary: common }, { weight, arbitrary: rare }) : common;
}

function scripts(nearMisses: boolean): fc.Arbitrary<string> {
  const name = fc.constantFrom("A", "DEBIAN_FRONTEND", "x_1", "_a");
  const plain = fc.stringMatching(/^[a-zA-Z0-9_.\/:=+,@%^~*?\[\]#-]{1,6}$/);
  const expansion = withRare(
    fc.oneof(
      name.map((n) => `$${n}`),
      name.map((n) => `\${${n}}`),
      fc.tuple(name, fc.constantFrom(":-", "-", ":=", ":+", "+", ":?", "?", "="), fc.stringMatching(/^[a-z0-9.\/:-]{0,4}$/))
        .map(([n, op, w]) => `\${${n}${op}${w}}`),
      fc.constantFrom("$1", "$@", "$*", "$?", "$$", "$"),
    ),
    fc.constantFrom("${#A}", "${!A}", "${A[0]}", "${A:-$B}", "${A:-a b}", "${A%x}", "${A/a/b}", "$#", "$-", "$!", "$_", "_="),
    nearMisses,
  );
  // `$(...)` with a small script inside (pipes, lists, quotes, a nested substitution now and then).
  const innerWord = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9_.\/:=-]{1,5}$/) },
    { weight: 1, arbitrary: fc.constantFrom("'a b'", '"$A"', '"x)"', "$HOME", "-u", "2>/dev/null", ">&2", "#c", "\\)", "\"$(id -u)\"", "$(uname -m)") },
  );
  const innerCommand = fc.tuple(fc.constantFrom("id", "uname", "dpkg", "apt-mark", "A=1 cat", "echo", "command -v"), fc.array(innerWord, { maxLength: 3 }))
    .map(([n, a]) => [n, ...a].join(" "));
  const substitution = fc
    .tuple(
      fc.constantFrom("", " ", "\n"),
      innerCommand,
      fc.array(fc.tuple(fc.constantFrom(" | ", " && ", "; ", " || ", "\n", " ;", "|"), innerCommand), { maxLength: 2 }),
      fc.constantFrom("", " ", ";", "\n", " & "),
    )
    .map(([lead, first, rest, tail]) => `$(${lead}${first}${rest.map(([sep, c]) => sep + c).join("")}${tail})`);
  const singleQuoted = fc.stringMatching(/^[a-z $"\\é#;&|<>(){}!`*\n\r]{0,6}$/).map((t) => `'${t}'`);
  const doubleQuoted = fc
    .array(fc.oneof(
      fc.stringMatching(/^[a-z '#;&|<>(){}!*é\n]{1,4}$/),
      fc.constantFrom('\\"', "\\\\", "\\$", "\\a", "\\`", "\\ ", "$"),
      expansion,
      substitution,
    ), { maxLength: 4 })
    .map((parts) => `"${parts.join("")}"`);
  const escape = fc.stringMatching(/^[a-z *?'" #;&|<>$\\é(){}!]$/).map((c) => `\\${c}`);
  const nearMiss = fc.constantFrom(
    "$(id)", "`id`", "{a,b}", "{", "}", "(", ")", "!", "$'x\\n'", '$"x"', "$((1))", "\r", "\u00a0", "\u3000", "\\\n",
    "[[", "]]", "a=(b)", "<(x)", "\\\t", "😀", '"$(x)"', '"`x`"', '"\\\n"', '"\r"',
  );
  const piece = withRare(
    fc.oneof(
      { weight: 6, arbitrary: plain },
      { weight: 2, arbitrary: singleQuoted },
      { weight: 3, arbitrary: doubleQuoted },
      { weight: 1, arbitrary: escape },
      { weight: 2, arbitrary: expansion },
      { weight: 1, arbitrary: substitution },
    ),
    nearMiss,
    nearMisses,
  );
  const word = fc.array(piece, { minLength: 1, maxLength: 3 }).map((p) => p.join(""));

  const redirect = fc
    .tuple(
      withRare(
        fc.constantFrom(">", ">>", "<", "2>", "1>>", "10>", "&>", "2>&1", ">&2", "1>&2", "3<&1"),
        fc.constantFrom("0<", "0>", "&>>", ">|", "<>", ">&-", "<<<", "2>&", ">&x", "<&1", "<<", "<<-", "01>"),
        nearMisses,
      ),
      fc.constantFrom("", " "),
      fc.oneof(plain, word, fc.constantFrom("/dev/null", "out.log", '"$LOG"', "'f g'")),
    )
    .map(([op, blank, target]) => (/&[0-9-]$/.test(op) ? op : `${op}${blank}${target}`));
  const keyword = fc.constantFrom(
    "if", "then", "fi", "for", "do", "done", "while", "case", "esac", "in", "function", "time", "export", "local",
    "declare", "readonly", "unset", "[", "[[", "!", "{", "}", "select", "coproc", "elif", "else", "until", "typeset",
  );
  const commandName = withRare(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom("apt-get", "echo", "sh", "bash", "curl", "rm", "env", "sudo", "/usr/bin/pip", "set") },
      { weight: 3, arbitrary: word },
    ),
    keyword,
    nearMisses,
  );
  const argument = fc.oneof(
    { weight: 6, arbitrary: word },
    { weight: 3, arbitrary: fc.constantFrom("-y", "--no-install-recommends", "install", "-c", "-o", "pipefail", "--", "-rf", "curl=7.88.1-10+deb12u8") },
    { weight: 1, arbitrary: keyword },
    { weight: 1, arbitrary: fc.constantFrom("\\ ", "a\\ ", "\\ b", "#c", "a#b", "a=b", "=", "[a]", "[", "]", "*.deb", "~/x", "a~b", "%s", "-") },
  );
  const assignment = fc
    .tuple(name, withRare(fc.constant("="), fc.constant("+="), nearMisses), fc.oneof(fc.constant(""), word))
    .map(([n, op, v]) => `${n}${op}${v}`);

  /** `export A=1 B`, `unset C`: declarations, whose assignments are arguments. */
  const declaration = fc
    .tuple(
      fc.constantFrom("export", "local", "declare", "readonly", "typeset", "unset", "unsetenv"),
      fc.array(fc.oneof(assignment, argument, fc.constantFrom("-n", "-x", "PATH=/opt/bin:$PATH", "A", '"A=1"', "A+=1")), { maxLength: 3 }),
      fc.array(redirect, { maxLength: 1 }),
    )
    .map(([keyword, args, trailing]) => [keyword, ...args, ...trailing].join(" "));

  const simpleCommand = fc
    .tuple(
      fc.array(fc.oneof({ weight: 3, arbitrary: assignment }, { weight: 1, arbitrary: redirect }), { maxLength: 2 }),
      fc.oneof({ weight: 12, arbitrary: commandName.map((n) => [n]) }, { weight: 1, arbitrary: fc.constant([] as string[]) }),
      fc.array(fc.oneof({ weight: 8, arbitrary: argument }, { weight: 1, arbitrary: redirect }), { maxLength: 5 }),
      fc.array(redirect, { maxLength: 2 }),
      fc.constantFrom(" ", " ", " ", "  ", "\t", " \r "),
    )
    .map(([prefix, nameWord, args, trailing, blank]) => [...prefix, ...nameWord, ...args, ...trailing].join(blank));

  /** `sh -c '<script>'`: a nested script, single-quoted (so no single quote inside). */
  const shC = fc.constantFrom("sh -c", "bash -ec", "sudo bash -o pipefail -c").chain((shell) =>
    simpleCommand.filter((c) => !c.includes("'")).map((c) => `${shell} '${c}'`));

  const separator = withRare(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(" && ", " || ", "; ", ";", " & ", " | ", " |& ", "\n", "|") },
      { weight: 3, arbitrary: fc.constantFrom(" &&\n", " |\n", ";\n", " # note\n", "\n\n", " &\n", "\n# c\n", " && # c\n", "\n  ", "&&", " ;\n\n", "\r\n", ";\r\n", " # c\r\n") },
    ),
    fc.constantFrom(";;", " && && ", " | | ", "\n;", " &; ", " ! ", " { ", " ( ", " ) ", ";&", " &&& "),
    nearMisses,
  );
  // Compound commands, tests and negations, with bodies of simple commands (and one level of compounds inside).
  const term = fc.constantFrom("; ", "\n", " ;\n", ";\n  ", ";", "\n\n", " # c\n");
  const join = (first: string, rest: readonly (readonly [string, string])[]): string => first + rest.map(([sep, c]) => sep + c).join("");
  const listOf = (item: fc.Arbitrary<string>): fc.Arbitrary<string> =>
    fc.tuple(item, fc.array(fc.tuple(fc.constantFrom("; ", "\n", " && ", " || ", ";\n\t", " | ", " & "), item), { maxLength: 2 })).map(([a, rest]) => join(a, rest));
  const testExpr = fc.oneof(
    fc.constantFrom('[ -f /x ]', '[ "$A" = b ]', '[ -n "$(id -u)" ]', '[ ! -d x -a "$B" != 1 ]', '[[ -z "$A" ]]', '[ a -eq 1 -o b ]', "[ x ]", '! [ -e "$f" ]'),
    fc.tuple(fc.constantFrom("-z", "-n", "-f", "-d"), word).map(([op, w]) => `[ ${op} ${w} ]`),
    fc.tuple(word, fc.constantFrom("=", "!=", "==", "-eq", "-lt"), word).map(([a, op, b]) => `[ ${a} ${op} ${b} ]`),
  );
  const pattern = fc.constantFrom("a", "'amd64'", '"x86_64"', "*", "arm*|aarch64", "a | b", "?", "x.y-z", "'a b'|c");
  const redirected = fc.constantFrom("", "", "", " > /dev/null", " 2>&1", " < /etc/x", " >&2");
  const compoundOf = (body: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof(
    fc.tuple(fc.oneof(body, testExpr), term, body, term, fc.option(fc.tuple(fc.oneof(body, testExpr), term, body, term)), fc.option(fc.tuple(body, term)), redirected)
      .map(([c, t1, b, t2, elif, els, r]) =>
        `if ${c}${t1}then ${b}${t2}${elif === null ? "" : `elif ${elif[0]}${elif[1]}then ${elif[2]}${elif[3]}`}${els === null ? "" : `else ${els[0]}${els[1]}`}fi${r}`),
    fc.tuple(fc.constantFrom("x", "f", "_a1"), fc.array(word, { maxLength: 3 }), fc.constantFrom("; ", "\n", ";"), body, term, redirected)
      .map(([n, ws, t1, b, t2, r]) => `for ${n} in ${ws.join(" ")}${t1}do ${b}${t2}done${r}`),
    fc.tuple(fc.constantFrom("while", "until"), fc.oneof(body, testExpr), term, body, term, redirected)
      .map(([k, c, t1, b, t2, r]) => `${k} ${c}${t1}do ${b}${t2}done${r}`),
    fc.tuple(word, fc.array(fc.tuple(pattern, fc.option(body), fc.constantFrom(" ;;", ";;", "\n;;", ";; ")), { minLength: 1, maxLength: 3 }), fc.constantFrom(" ", "\n", "\n  "), fc.boolean())
      .map(([w, items, sep, openEnd]) => `case ${w} in${sep}${items.map(([p, b, end], i) => `${p}) ${b ?? ""}${openEnd && i === items.length - 1 ? "" : end}`).join(sep)}${sep}esac`),
    fc.tuple(body, term, redirected).map(([b, t, r]) => `{ ${b}${t}}${r}`),
    fc.tuple(fc.constantFrom("(", "( "), body, fc.constantFrom(")", " )", ";)"), redirected).map(([o, b, c, r]) => `${o}${b}${c}${r}`),
    testExpr,
    simpleCommand.map((c) => `! ${c}`),
  );
  const compound1 = compoundOf(listOf(simpleCommand));
  const compound = fc.oneof(
    { weight: 3, arbitrary: compound1 },
    { weight: 1, arbitrary: compoundOf(listOf(fc.oneof(simpleCommand, compound1))) },
    { weight: 1, arbitrary: fc.tuple(compound1, fc.constantFrom(" | ", " |& "), simpleCommand).map(([c, op, x]) => c + op + x) },
    { weight: 1, arbitrary: fc.tuple(simpleCommand, fc.constantFrom(" | ", " |\n"), compound1).map(([x, op, c]) => x + op + c) },
  );
  const command = fc.oneof({ weight: 5, arbitrary: simpleCommand }, { weight: 1, arbitrary: shC }, { weight: 1, arbitrary: declaration }, { weight: 2, arbitrary: compound });
  return fc
    .tuple(
      fc.constantFrom("", "", "", " ", "\n", "# header\n", "  \n"),
      command,
      fc.array(fc.tuple(separator, command), { maxLength: 5 }),
      withRare(fc.constantFrom("", "", "", ";", " &", "\n", " # end", "\n# c"), fc.constantFrom(" &&", " |", " ||", " \\"), nearMisses),
    )
    .map(([lead, first, rest, tail]) => lead + first + rest.map(([sep, cmd]) => sep + cmd).join("") + tail);
}

/**
 * Scripts like those in Dockerfiles: package installs, downloads, `sh -c`, environment prefixes, redirects to
 * /dev/null, pipes into a shell, chains over (already joined) continuation lines. Nearly all take the fast path.
 */
export const typicalScript: fc.Arbitrary<string> = (() => {
  const pkg = fc.tuple(fc.constantFrom("curl", "ca-certificates", "git", "libpq-dev", "python3-pip", "tzdata"), fc.constantFrom("", "=7.88.1-10+deb12u8", "=1:2.39.5-0+deb12u1", "=3.0.15-1~deb12u1"))
    .map(([n, v]) => n + v);
  const packages = fc.array(pkg, { minLength: 1, maxLength: 4 });
  const gap = fc.constantFrom(" ", " ", "     ", "      ");
  const command = fc.oneof(
    packages.map((p) => `apt-get install -y --no-install-recommends ${p.join(" ")}`),
    fc.constant("apt-get update"),
    fc.constant("rm -rf /var/lib/apt/lists/*"),
    packages.map((p) => `apk add --no-cache ${p.join(" ")}`),
    fc.constantFrom("pip install --no-cache-dir -r requirements.txt", "pip install --no-cache-dir psycopg[binary]==3.2.2 'uvicorn[standard]'"),
    fc.constantFrom("npm ci --omit=dev", "go build -trimpath -ldflags=\"-s -w\" -o /out/app ./cmd/app", "cargo build --release"),
    fc.constantFrom("DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata", "CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH:-amd64} go build ./..."),
    fc.constantFrom("curl -fsSL https://example.com/install.sh | sh", "curl -fsSL https://sh.rustup.rs | bash -s -- -y", "wget -qO- https://x/y.tgz | tar xz -C /opt"),
    fc.constantFrom("echo \"$SHA256  /tmp/x.tgz\" | sha256sum -c -", "echo 'deb http://deb.debian.org/debian bookworm main' > /etc/apt/sources.list"),
    fc.constantFrom("groupadd --system app && useradd --system --gid app --no-create-home app", "mkdir -p /app/data", "chown -R app:app /app"),
    fc.constantFrom("set -eux", "set -o pipefail", "command -v curl >/dev/null 2>&1", "ln -s /opt/tool/bin/tool /usr/local/bin/tool"),
    fc.constantFrom("sh -c 'apt-get update && apt-get install -y curl'", "su-exec app:app sh -c \"echo $HOME > /tmp/home\"", "sudo -E bash -ec \"pip install \\\"requests==2.31\\\"\""),
    fc.constantFrom("export PATH=/opt/bin:$PATH", "cd /src", "test -f /etc/os-release", "echo done >> /var/log/build.log 2>&1", "./configure --prefix=/usr/local"),
  );
  const separator = fc.oneof(gap.map((g) => `${g}&&${g}`), fc.constantFrom("\n", " && ", "; ", " || true && "));
  return fc
    .tuple(command, fc.array(fc.tuple(separator, command), { maxLength: 5 }), fc.constantFrom("", "\n"))
    .map(([first, rest, tail]) => first + rest.map(([sep, c]) => sep + c).join("") + tail);
})();

/** Scripts of the fast path's subset (a few still fall back: tree-sitter-bash quirks the fast path avoids). */
export const simpleScript = scripts(false);
/** Scripts with a near-miss now and then: most fall back, and must still give what tree-sitter-bash gives. */
export const nearMissScript = scripts(true);
export const script = fc.oneof(simpleScript, nearMissScript);

/** Typical and subset scripts with a few characters inserted or deleted anywhere: the fast path's edges. */
export const mutatedScript: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(typicalScript, simpleScript),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...` \t\n;&|<>'"\\\${}()#=[]*?~-!\`09az\ré_.:,@%+^/`), fc.boolean()), { minLength: 1, maxLength: 3 }),
  )
  .map(([script, edits]) => {
    let text = script;
    for (const [at, c, remove] of edits) {
      const i = text.length === 0 ? 0 : at % text.length;
      text = remove ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + c + text.slice(i);
    }
    return text;
  });
