{{/*
bianzhi-lib.all renders every object of one service. A service chart's only template
is `{{ include "bianzhi-lib.all" . }}`: what differs between services lives in values.
*/}}
{{- define "bianzhi-lib.all" -}}
{{- $parts := list "serviceaccount" "configmap" "service" "deployment" "hpa" "pdb" "networkpolicy" "servicemonitor" "ingress" -}}
{{- range $parts }}
{{- $doc := include (printf "bianzhi-lib.%s" .) $ | trim }}
{{- if $doc }}
---
{{ $doc }}
{{- end }}
{{- end }}
{{ include "bianzhi-lib.cronjobs" . }}
{{- end }}
