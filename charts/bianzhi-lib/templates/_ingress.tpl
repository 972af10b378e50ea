{{/* Only the gateway turns this on: it is the single entry for people (the portal and /api). */}}
{{- define "bianzhi-lib.ingress" -}}
{{- $in := .Values.ingress | default dict -}}
{{- if $in.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "bianzhi-lib.fullname" . }}
  labels:
    {{- include "bianzhi-lib.labels" (dict "root" .) | nindent 4 }}
  {{- with $in.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $in.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if $in.tlsSecret }}
  tls:
    - hosts: [{{ $in.host | quote }}]
      secretName: {{ $in.tlsSecret }}
  {{- end }}
  rules:
    - host: {{ required "ingress.host is required when the ingress is enabled" $in.host | quote }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ include "bianzhi-lib.fullname" . }}
                port:
                  name: http
{{- end }}
{{- end }}
