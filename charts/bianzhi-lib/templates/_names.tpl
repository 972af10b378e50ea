{{/*
Names and labels. Every object of a service is named <release>-<service>, with no
override: the services find each other (AUTH_JWKS_URL, QUOTA_URL, ...) by that name,
so an override would silently break the calls between them.
*/}}

{{/* bianzhi-lib.fullname is <release>-<service>, cut to the 63 characters a DNS label allows. */}}
{{- define "bianzhi-lib.fullname" -}}
{{- printf "%s-%s" .Release.Name .Values.service | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* bianzhi-lib.peerName names another service of the same release; call with (dict "root" $ "service" "quota"). */}}
{{- define "bianzhi-lib.peerName" -}}
{{- printf "%s-%s" .root.Release.Name .service | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "bianzhi-lib.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* bianzhi-lib.imageTag is the one tag every object of the service uses; never "latest" (the schema refuses it). */}}
{{- define "bianzhi-lib.imageTag" -}}
{{- $g := include "bianzhi-lib.global" . | fromYaml -}}
{{- .Values.image.tag | default $g.image.tag | default .Chart.AppVersion -}}
{{- end }}

{{- define "bianzhi-lib.image" -}}
{{- $g := include "bianzhi-lib.global" . | fromYaml -}}
{{- $repo := .Values.image.repository -}}
{{- if $g.image.registry -}}{{- $repo = printf "%s/%s" (trimSuffix "/" $g.image.registry) $repo -}}{{- end -}}
{{- printf "%s:%s" $repo (include "bianzhi-lib.imageTag" .) -}}
{{- end }}

{{/*
bianzhi-lib.selectorLabels picks the server pods. The component label keeps the
CronJob pods (same name, component=job) out of the Service and the PDB.
*/}}
{{- define "bianzhi-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ .Values.service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{/* bianzhi-lib.policyLabels picks every pod of the service, server and jobs, for its NetworkPolicy. */}}
{{- define "bianzhi-lib.policyLabels" -}}
app.kubernetes.io/name: {{ .Values.service }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* bianzhi-lib.labels goes on every object; call with (dict "root" $ "component" "server"). */}}
{{- define "bianzhi-lib.labels" -}}
helm.sh/chart: {{ include "bianzhi-lib.chart" .root }}
app.kubernetes.io/name: {{ .root.Values.service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component | default "server" }}
app.kubernetes.io/part-of: bianzhi
app.kubernetes.io/version: {{ include "bianzhi-lib.imageTag" .root | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}
