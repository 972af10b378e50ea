{{/*
The restricted Pod Security Standard, applied to every pod: the image runs as the
numeric user 65532 from a scratch image with no shell, so nothing here costs the
service anything, and a compromised process can neither write its binary nor gain
privileges.
*/}}

{{- define "bianzhi-lib.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "bianzhi-lib.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* bianzhi-lib.podCommon is what every pod spec of the service shares, server or job. */}}
{{- define "bianzhi-lib.podCommon" -}}
{{- $g := include "bianzhi-lib.global" . | fromYaml -}}
serviceAccountName: {{ include "bianzhi-lib.fullname" . }}
automountServiceAccountToken: false
securityContext:
  {{- include "bianzhi-lib.podSecurityContext" . | nindent 2 }}
{{- with $g.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
bianzhi-lib.volumes: a writable /tmp (the root filesystem is read-only, and Excel
imports spill to temporary files) and, for the gateway, its signing key.
*/}}
{{- define "bianzhi-lib.volumes" -}}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .Values.tmpSizeLimit | default "64Mi" }}
  {{- if (.Values.signingKey | default dict).existingSecret }}
  - name: signing-key
    secret:
      secretName: {{ .Values.signingKey.existingSecret }}
      defaultMode: 0440
      items:
        - key: {{ .Values.signingKey.key }}
          path: {{ .Values.signingKey.key }}
  {{- end }}
{{- end }}

{{- define "bianzhi-lib.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  {{- if (.Values.signingKey | default dict).existingSecret }}
  - name: signing-key
    mountPath: /var/run/secrets/bianzhi/signing-key
    readOnly: true
  {{- end }}
{{- end }}
