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
