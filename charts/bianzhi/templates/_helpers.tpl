{{- define "bianzhi.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: bianzhi
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: monitoring
app.kubernetes.io/part-of: bianzhi
app.kubernetes.io/version: {{ .Values.global.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* bianzhi.services is the regular expression matching the release's six service names. */}}
{{- define "bianzhi.services" -}}gateway|units|quota|talent|enforcement|eduhealth{{- end }}
