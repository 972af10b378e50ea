{{- define "bianzhi-lib.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "bianzhi-lib.fullname" . }}
  labels:
    {{- include "bianzhi-lib.labels" (dict "root" .) | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "bianzhi-lib.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: 8080
      targetPort: http
      protocol: TCP
    {{- if .Values.internalCallers }}
    {{- /* The gateway's internal listener (the service-token grant): never behind the ingress. */}}
    - name: internal
      port: 8081
      targetPort: internal
      protocol: TCP
    {{- end }}
{{- end }}

{{/* The pods call no Kubernetes API, so their account carries no token at all. */}}
{{- define "bianzhi-lib.serviceaccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "bianzhi-lib.fullname" . }}
  labels:
    {{- include "bianzhi-lib.labels" (dict "root" .) | nindent 4 }}
automountServiceAccountToken: false
{{- end }}
