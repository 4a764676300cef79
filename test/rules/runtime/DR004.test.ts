import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR004.ts";
import { runtimeCases } from "./cases.ts";

describe("DR004", () => {
  runtimeCases(rule, {
    fires: [
      {
        name: "compose short syntax, read-only",
        text: "services:\n  traefik:\n    image: traefik:v3.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n",
        at: [[5, 9, 5, 29]],
        messages: ["read-only does not help"],
      },
      {
        name: "compose long syntax, /run/containerd/containerd.sock",
        text: "services:\n  agent:\n    image: example/agent:1.0\n    volumes:\n      - type: bind\n        source: /run/containerd/containerd.sock\n        target: /run/containerd/containerd.sock\n",
        at: [[6, 17, 6, 48]],
        messages: ["the containerd socket"],
      },
      { name: "compose /var/run directory", text: "services:\n  agent:\n    image: example/agent:1.0\n    volumes: [\"/var/run:/host/run\"]\n", at: [[4, 16, 4, 24]], messages: ["/var/run, which holds"] },
      {
        name: "Kubernetes hostPath",
        text: "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ds\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: example/agent:1.0\n          volumeMounts:\n            - name: sock\n              mountPath: /var/run/docker.sock\n      volumes:\n        - name: sock\n          hostPath:\n            path: /var/run/docker.sock\n            type: Socket\n",
        at: [[17, 19, 17, 39]],
      },
      { name: "docker run -v with $HOME", text: "docker run -v \"$HOME/.docker/run/docker.sock:/var/run/docker.sock\" docker:27-cli\n", at: [[1, 15, 1, 67]] },
      { name: "docker run --mount", text: "docker run --mount type=bind,src=/var/run/docker.sock,dst=/var/run/docker.sock docker:27-cli\n", at: [[1, 20, 1, 79]] },
      { name: "podman socket", text: "podman run -v /run/podman/podman.sock:/run/podman/podman.sock quay.io/podman/stable:v5\n", at: [[1, 15, 1, 38]] },
      { name: "--use-api-socket", text: "docker run --use-api-socket docker:27-cli docker ps\n", at: [[1, 12, 1, 28]] },
      { name: "Docker's Windows pipe", text: "services:\n  portainer:\n    image: portainer/portainer-ce:2.21.0\n    volumes:\n      - type: npipe\n        source: \\\\.\\pipe\\docker_engine\n        target: \\\\.\\pipe\\docker_engine\n", at: [[6, 17, 6, 39]] },
    ],
    silent: [
      { name: "a config file bind", text: "services:\n  traefik:\n    image: traefik:v3.1\n    volumes:\n      - ./traefik.yml:/etc/traefik/traefik.yml:ro\n" },
      { name: "a named volume called docker", text: "services:\n  app:\n    image: alpine:3.20\n    volumes:\n      - docker:/var/lib/docker\n" },
      { name: "the socket path as the container side only", text: "docker run -v dind-sock:/var/run/docker.sock alpine:3.20\n" },
    ],
  });
});
