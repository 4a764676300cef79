const http = require("node:http");
const { escape } = require("lodash");

http.createServer((req, res) => {
  res.end(`<h1>${escape("Shop")}</h1>`);
}).listen(8080);
