import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3028.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM ruby:3.3\n";
describe("DL3028", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "a bare gem", dockerfile: `${FROM}RUN gem install bundler\n`, at: [[2, 17, 2, 24]], messages: ['"bundler" gets the newest release on build day; use bundler:<version> or -v <version>'] },
      { name: "gem i with flags", dockerfile: `${FROM}RUN gem i -N --no-document puma rails:7.1.3\n`, at: [[2, 28, 2, 32]] },
      { name: "--source value is not a gem", dockerfile: `${FROM}RUN gem install --source https://rubygems.org rake\n`, at: [[2, 47, 2, 51]] },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\ngem install nokogiri\nEOF\n`, at: [[3, 13, 3, 21]] },
    ],
    silent: [
      { name: "name:version", dockerfile: `${FROM}RUN gem install bundler:2.5.11\n` },
      { name: "-v", dockerfile: `${FROM}RUN gem install rails -v 7.1.3\n` },
      { name: "--version=", dockerfile: `${FROM}RUN gem install rails --version=7.1.3\n` },
      { name: "a .gem file", dockerfile: `${FROM}RUN gem install ./pkg/app-1.0.gem\n` },
      { name: "ARG version", dockerfile: `${FROM}ARG BUNDLER=2.5.11\nRUN gem install bundler:\${BUNDLER}\n` },
      { name: "gem update", dockerfile: `${FROM}RUN gem update --system\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "gem install rails"\n` },
    ],
  });
});
