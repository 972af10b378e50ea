{{- define "bianzhi-lib.deployment" -}}
{{- $g := include "bianzhi-lib.global" . | fromYaml -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "bianzhi-lib.fullname" . }}
  labels:
    {{- include "bianzhi-lib.labels" (dict "root" .) | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  {{- /* With an HPA the replica count is its business; a fixed one would fight it on every upgrade. */}}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "bianzhi-lib.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "bianzhi-lib.labels" (dict "root" .) | nindent 8 }}
      annotations:
        {{- /* Settings are read once at start, so a changed ConfigMap must roll the pods. */}}
        checksum/config: {{ include "bianzhi-lib.configData" . | sha256sum }}
    spec:
      {{- include "bianzhi-lib.podCommon" . | nindent 6 }}
      {{- /* Longer than SHUTDOWN_TIMEOUT (15s) plus the preStop pause, so a drain is never cut short. */}}
      terminationGracePeriodSeconds: 30
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "bianzhi-lib.selectorLabels" . | nindent 14 }}
      containers:
        - name: {{ .Values.service }}
          image: {{ include "bianzhi-lib.image" . }}
          imagePullPolicy: {{ .Values.image.pullPolicy | default $g.image.pullPolicy }}
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
            {{- if .Values.internalCallers }}
            - name: internal
              containerPort: 8081
              protocol: TCP
            {{- end }}
          {{- include "bianzhi-lib.env" . | nindent 10 }}
          {{- /* /healthz only says the process lives; /readyz adds MongoDB and Redis, so a
                 database outage takes pods out of the Service without restarting them. */}}
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 3
          lifecycle:
            {{- /* The image has no shell, so the pause that lets endpoints drain before
                   SIGTERM uses the kubelet's own sleep action. */}}
            preStop:
              sleep:
                seconds: 5
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            {{- include "bianzhi-lib.containerSecurityContext" . | nindent 12 }}
          {{- include "bianzhi-lib.volumeMounts" . | nindent 10 }}
      {{- include "bianzhi-lib.volumes" . | nindent 6 }}
{{- end }}
