{{/*
Platform-wide settings. The umbrella chart sets them under `global:`; these defaults
make a service chart render on its own too (helm lint, a single-service trial).
The umbrella's values.yaml repeats this block for operators, and
tools/chartcheck checks that the two copies agree.
*/}}
{{- define "bianzhi-lib.globalDefaults" -}}
image:
  registry: ""
  tag: ""
  pullPolicy: IfNotPresent
  pullSecrets: []
mongodb:
  existingSecret: bianzhi-mongodb
  uriKey: uri
redis:
  addr: bianzhi-redis-master:6379
  db: 0
  existingSecret: ""
  passwordKey: password
otlp:
  endpoint: ""
logLevel: info
networkPolicy:
  enabled: true
  gatewayFrom: []
  metricsFrom:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: monitoring
  dns:
    port: 53
    to: []
  mongodb:
    port: 27017
    to: []
  redis:
    port: 6379
    to: []
  otlp:
    port: 4318
    to: []
serviceMonitor:
  enabled: true
  interval: 30s
  labels: {}
{{- end }}

{{/*
bianzhi-lib.global is the defaults overlaid with .Values.global, as YAML (read it with
fromYaml). mergeOverwrite never lets an empty value (false, []) replace a default, so
the settings an operator turns off or empties are copied over explicitly afterwards.
*/}}
{{- define "bianzhi-lib.global" -}}
{{- $d := include "bianzhi-lib.globalDefaults" . | fromYaml -}}
{{- $g := .Values.global | default dict -}}
{{- $m := mergeOverwrite $d (deepCopy $g) -}}
{{- $np := $g.networkPolicy | default dict -}}
{{- if hasKey $np "enabled" }}{{ $_ := set $m.networkPolicy "enabled" $np.enabled }}{{ end -}}
{{- if hasKey $np "metricsFrom" }}{{ $_ := set $m.networkPolicy "metricsFrom" $np.metricsFrom }}{{ end -}}
{{- $sm := $g.serviceMonitor | default dict -}}
{{- if hasKey $sm "enabled" }}{{ $_ := set $m.serviceMonitor "enabled" $sm.enabled }}{{ end -}}
{{- toYaml $m -}}
{{- end }}
