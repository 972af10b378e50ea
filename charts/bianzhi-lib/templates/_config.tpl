{{/*
Settings reach the containers in two ways: plain settings through the service's
ConfigMap (envFrom), secrets only as secretKeyRef to Secrets the operator created.
No value file ever carries a secret, so no default can leak one.
*/}}

{{- define "bianzhi-lib.configData" -}}
{{- $g := include "bianzhi-lib.global" . | fromYaml -}}
HTTP_ADDR: ":8080"
MONGO_DATABASE: {{ .Values.mongodb.database | default .Values.service | quote }}
REDIS_ADDR: {{ $g.redis.addr | quote }}
REDIS_DB: {{ $g.redis.db | quote }}
AUTH_JWKS_URL: {{ printf "http://%s:8080/api/v1/auth/jwks" (include "bianzhi-lib.peerName" (dict "root" . "service" "gateway")) | quote }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ $g.otlp.endpoint | quote }}
OTEL_SERVICE_NAME: {{ .Values.service | quote }}
LOG_LEVEL: {{ .Values.logLevel | default $g.logLevel | quote }}
{{- if .Values.serviceIdentity }}
{{- /* Service jobs get their token from the gateway's internal listener, not the public door. */}}
GATEWAY_URL: {{ printf "http://%s:8081" (include "bianzhi-lib.peerName" (dict "root" . "service" "gateway")) | quote }}
{{- end }}
{{- range .Values.callees }}
{{ upper . }}_URL: {{ printf "http://%s:8080" (include "bianzhi-lib.peerName" (dict "root" $ "service" .)) | quote }}
{{- end }}
{{- if (.Values.signingKey | default dict).existingSecret }}
GATEWAY_SIGNING_KEY_FILE: "/var/run/secrets/bianzhi/signing-key/{{ .Values.signingKey.key }}"
{{- end }}
{{- range $k, $v := .Values.env }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end }}

{{- define "bianzhi-lib.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "bianzhi-lib.fullname" . }}
  labels:
    {{- include "bianzhi-lib.labels" (dict "root" .) | nindent 4 }}
data:
  {{- include "bianzhi-lib.configData" . | nindent 2 }}
{{- end }}

{{/* bianzhi-lib.env is the container's env and envFrom, shared by the server and its CronJobs. */}}
{{- define "bianzhi-lib.env" -}}
{{- $g := include "bianzhi-lib.global" . | fromYaml -}}
envFrom:
  - configMapRef:
      name: {{ include "bianzhi-lib.fullname" . }}
env:
  - name: MONGO_URI
    valueFrom:
      secretKeyRef:
        name: {{ required "global.mongodb.existingSecret must name the Secret holding the MongoDB URI" $g.mongodb.existingSecret }}
        key: {{ $g.mongodb.uriKey }}
  {{- if $g.redis.existingSecret }}
  - name: REDIS_PASSWORD
    valueFrom:
      secretKeyRef:
        name: {{ $g.redis.existingSecret }}
        key: {{ $g.redis.passwordKey }}
  {{- end }}
  {{- /* A service's own secrets (e.g. the gateway's service-identity secrets). Optional ones
         let a service start without a feature that needs them, as its config allows. */}}
  {{- range .Values.secretEnv }}
  - name: {{ .name }}
    valueFrom:
      secretKeyRef:
        name: {{ .secret }}
        key: {{ .key }}
        optional: {{ .optional | default false }}
  {{- end }}
{{- end }}
