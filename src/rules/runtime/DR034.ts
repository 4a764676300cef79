import { RESTRICTED_VOLUME_TYPES } from "../../runtime/facts.ts";
import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR034",
  aliases: ["pss:restricted/volumeTypes"],
  severity: "warning",
  source: "drydock",
  profile: "restricted",
  appliesTo: ["kubernetes"],
  summary: "Use only the volume types the restricted profile allows",
  docs: `
Kubernetes' restricted profile allows configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim,
projected and secret volumes. Other types (nfs, iscsi, rbd, cephfs, gitRepo, flexVolume, ...) mount storage the pod
names directly, outside what cluster administrators set up through PersistentVolumes; gitRepo even runs git on the
node. Use a PersistentVolumeClaim. hostPath volumes are DR006.

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1.0
  volumes:
    - name: shared
      nfs:
        server: nfs.example.com
        path: /exports/shared
\`\`\`

\`\`\`yaml silent
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1.0
  volumes:
    - name: shared
      persistentVolumeClaim:
        claimName: shared
\`\`\`
`,
  *check({ workload: w, finding }) {
    for (const v of w.volumes) {
      if (v.type === "hostPath" || RESTRICTED_VOLUME_TYPES.has(v.type)) continue;
      yield finding(v.at, `${v.owner} mounts volume "${v.name}" of type ${v.type}, which the restricted profile does not allow`);
    }
  },
});
