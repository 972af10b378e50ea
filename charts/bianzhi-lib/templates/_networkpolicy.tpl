{{/*
One NetworkPolicy per service, selecting its server and job pods alike. Ingress: only
the service's known callers (and, for the gateway, the outside world or the peers in
global.networkPolicy.gatewayFrom), plus Prometheus on the metrics port. Egress: DNS,
MongoDB, Redis, OTLP and the services it calls; every service but the gateway also
reaches the gateway, whose JWKS endpoint verifies every token.
An empty `to` list leaves that port open to any address, which suits a managed
database outside the cluster; production values narrow it.
*/}}
{{- define "bianzhi-lib.networkpolicy" -}}
{{- $g := include "bianzhi-lib.global" . | fromYaml -}}
{{- if $g.networkPolicy.enabled }}
{{- $np := $g.networkPolicy -}}
{{- $peers := list -}}
{{- range .Values.callees }}{{ $peers = append $peers . }}{{ end -}}
{{- if ne .Values.service "gateway" }}{{ $peers = append $peers "gateway" }}{{ end -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "bianzhi-lib.fullname" . }}
  labels:
    {{- include "bianzhi-lib.labels" (dict "root" .) | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "bianzhi-lib.policyLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- if .Values.callers }}
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/instance: {{ .Release.Name }}
            matchExpressions:
              - key: app.kubernetes.io/name
                operator: In
                values: {{ toJson .Values.callers }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
    {{- if .Values.internalCallers }}
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/instance: {{ .Release.Name }}
            matchExpressions:
              - key: app.kubernetes.io/name
                operator: In
                values: {{ toJson .Values.internalCallers }}
      ports:
        - port: internal
          protocol: TCP
    {{- end }}
    {{- if .Values.external }}
    - {{- with $np.gatewayFrom }}
      from:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
    {{- with $np.metricsFrom }}
    - from:
        {{- toYaml . | nindent 8 }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
  egress:
    {{- range $name := list "dns" "mongodb" "redis" "otlp" }}
    {{- $rule := get $np $name }}
    {{- if or (ne $name "otlp") $g.otlp.endpoint }}
    - ports:
        - port: {{ $rule.port }}
          protocol: TCP
        {{- if eq $name "dns" }}
        - port: {{ $rule.port }}
          protocol: UDP
        {{- end }}
      {{- with $rule.to }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- end }}
    {{- if $peers }}
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/instance: {{ .Release.Name }}
              app.kubernetes.io/component: server
            matchExpressions:
              - key: app.kubernetes.io/name
                operator: In
                values: {{ toJson $peers }}
      ports:
        - port: 8080
          protocol: TCP
    {{- end }}
    {{- if .Values.serviceIdentity }}
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/instance: {{ .Release.Name }}
              app.kubernetes.io/component: server
              app.kubernetes.io/name: gateway
      ports:
        - port: 8081
          protocol: TCP
    {{- end }}
{{- end }}
{{- end }}
