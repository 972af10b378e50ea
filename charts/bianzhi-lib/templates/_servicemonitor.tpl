{{/*
The ServiceMonitor renders only where the Prometheus operator's API exists, so a
cluster without it still installs. The relabeling sets the target's `service` label
to the short service name (quota, not <release>-quota): then Go runtime metrics and
the services' own bianzhi_* metrics (which carry service="quota") share one label,
and a dashboard filters both the same way.
*/}}
{{- define "bianzhi-lib.servicemonitor" -}}
{{- $g := include "bianzhi-lib.global" . | fromYaml -}}
{{- if and $g.serviceMonitor.enabled (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor") }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "bianzhi-lib.fullname" . }}
  labels:
    {{- include "bianzhi-lib.labels" (dict "root" .) | nindent 4 }}
    {{- with $g.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "bianzhi-lib.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ $g.serviceMonitor.interval }}
      relabelings:
        - targetLabel: service
          replacement: {{ .Values.service }}
          action: replace
{{- end }}
{{- end }}
