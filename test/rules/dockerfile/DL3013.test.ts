import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3013.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM python:3.12\n";
describe("DL3013", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "a bare name", dockerfile: `${FROM}RUN pip install flask\n`, at: [[2, 17, 2, 22]], messages: ['"flask" gets the newest release on build day; use flask==<version>'] },
      { name: "only the unpinned names", dockerfile: `${FROM}RUN pip install flask==3.0.3 "requests[socks]" django\n`, at: [[2, 30, 2, 47], [2, 48, 2, 54]], messages: ['"requests[socks]"', '"django"'] },
      { name: "pip upgrading itself", dockerfile: `${FROM}RUN pip install --upgrade pip\n`, at: [[2, 27, 2, 30]] },
      { name: "python -m pip and versioned pip names", dockerfile: `${FROM}RUN python -m pip install a && python3.12 -m pip install b && pip3.12 install c\n`, at: [[2, 27, 2, 28], [2, 58, 2, 59], [2, 79, 2, 80]] },
      { name: "a name beside a requirements file", dockerfile: `${FROM}RUN pip install -r requirements.txt gunicorn\n`, at: [[2, 37, 2, 45]] },
      { name: "flag values are not packages", dockerfile: `${FROM}RUN pip install --index-url https://pypi.example/simple -t /opt/lib --no-cache-dir uvicorn\n`, at: [[2, 84, 2, 91]] },
      { name: "a VCS URL without a ref", dockerfile: `${FROM}RUN pip install git+https://github.com/psf/requests\n`, at: [[2, 17, 2, 52]], messages: ["default branch"] },
      { name: "the user part of an ssh URL is no ref", dockerfile: `${FROM}RUN pip install git+ssh://git@github.com/psf/requests.git\n`, at: [[2, 17, 2, 58]] },
      { name: "a variable holding a bare name", dockerfile: `${FROM}ENV PKG=flask\nRUN pip install "$PKG"\n`, at: [[3, 17, 3, 23]] },
      { name: "in a heredoc behind sudo", dockerfile: `${FROM}RUN <<EOF\nsudo -H pip install black\nEOF\n`, at: [[3, 21, 3, 26]] },
    ],
    silent: [
      { name: "==", dockerfile: `${FROM}RUN pip install flask==3.0.3\n` },
      { name: "other operators count as pinned, as in hadolint", dockerfile: `${FROM}RUN pip install "a>=1" "b<2" "c~=1.4" "d!=2" "e===1.0" "f>1"\n` },
      { name: "requirements file", dockerfile: `${FROM}RUN pip install -r requirements.txt\n` },
      { name: "--requirement=", dockerfile: `${FROM}RUN pip install --requirement=requirements.txt\n` },
      { name: "constraints", dockerfile: `${FROM}RUN pip install -c constraints.txt flask\n` },
      { name: "local project, editable, paths", dockerfile: `${FROM}RUN pip install . && pip install -e /src/app ./lib /wheels/x\n` },
      { name: "wheels and sdists", dockerfile: `${FROM}RUN pip install /tmp/app-1.0-py3-none-any.whl app-1.0.tar.gz\n` },
      { name: "VCS with a ref", dockerfile: `${FROM}RUN pip install git+https://github.com/psf/requests@v2.31.0#egg=requests\n` },
      { name: "URL", dockerfile: `${FROM}RUN pip install https://example.com/pkg/archive/main\n` },
      { name: "ARG version", dockerfile: `${FROM}ARG FLASK_VERSION=3.0.3\nRUN pip install flask==\${FLASK_VERSION}\n` },
      { name: "unknown variable", dockerfile: `${FROM}RUN pip install $PACKAGES\n` },
      { name: "pipenv and pipx are not pip", dockerfile: `${FROM}RUN pipenv install flask && pipx install black\n` },
      { name: "pip download", dockerfile: `${FROM}RUN pip download flask\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "pip install flask"\n` },
    ],
  });
});
