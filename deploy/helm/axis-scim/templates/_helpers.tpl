{{/* Names and labels. */}}
{{- define "axis-scim.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The name of one process's objects: <fullname>-<component>. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "axis-scim.componentName" -}}
{{- printf "%s-%s" (include "axis-scim.fullname" .root | trunc 50 | trimSuffix "-") .component -}}
{{- end -}}

{{/* Labels of every object besides its selector labels. */}}
{{- define "axis-scim.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: axis-scim
{{- end -}}

{{- define "axis-scim.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{ include "axis-scim.commonLabels" . }}
{{- end -}}

{{/* Selector labels of one process. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "axis-scim.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "axis-scim.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "axis-scim.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "axis-scim.secretName" -}}
{{- default (include "axis-scim.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "axis-scim.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
Refuses values that would deploy something broken or leak a secret into the ConfigMap. Included by
the ConfigMap, so every render runs it.
*/}}
{{- define "axis-scim.validate" -}}
{{- if and (not .Values.secrets.existingSecret) (not .Values.database.url) -}}
{{- fail "database.url is required (postgres://user:password@host:5432/db), or secrets.existingSecret with a DATABASE_URL key: without PostgreSQL the processes would use SQLite files in a read-only container" -}}
{{- end -}}
{{- if and .Values.secrets.existingSecret (or .Values.database.url .Values.eventStore.url .Values.secrets.scimBearerToken .Values.secrets.sessionServiceKey .Values.kafka.sasl.username .Values.kafka.sasl.password) -}}
{{- fail "secrets.existingSecret replaces the chart's Secret: put DATABASE_URL, EVENT_STORE_URL, SCIM_BEARER_TOKEN, SESSION_SERVICE_KEY and KAFKA_SASL_* there instead of database.url, eventStore.url, secrets.* and kafka.sasl.username/password" -}}
{{- end -}}
{{- if and .Values.database.url (not (regexMatch "^postgres(ql)?://." .Values.database.url)) -}}
{{- fail "database.url must be a postgres:// URL" -}}
{{- end -}}
{{- if and .Values.eventStore.url (not (regexMatch "^esdb(\\+discover)?://." .Values.eventStore.url)) -}}
{{- fail "eventStore.url must be an esdb:// or esdb+discover:// URL (leave it empty for the PostgreSQL event store)" -}}
{{- end -}}
{{- range $name := list "DATABASE_URL" "EVENT_STORE_URL" "READ_MODEL_URL" "SCIM_BEARER_TOKEN" "SESSION_SERVICE_KEY" "KAFKA_SASL_USERNAME" "KAFKA_SASL_PASSWORD" -}}
{{- if hasKey $.Values.config $name -}}
{{- fail (printf "config.%s would put a secret into the ConfigMap: use database.url, eventStore.url, secrets.* or kafka.sasl.*, or secrets.existingSecret" $name) -}}
{{- end -}}
{{- end -}}
{{- range $name := list "PORT" "HOST" "METRICS_PORT" "METRICS_HOST" "DATA_DIR" "KAFKA_SSL_CA_FILE" -}}
{{- if hasKey $.Values.config $name -}}
{{- fail (printf "config.%s is set by the chart (ports, listen addresses and mounted files)" $name) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.kafka.sasl.mechanism (not (has .Values.kafka.sasl.mechanism (list "plain" "scram-sha-256" "scram-sha-512"))) -}}
{{- fail "kafka.sasl.mechanism must be plain, scram-sha-256 or scram-sha-512" -}}
{{- end -}}
{{- end -}}

{{/*
The pod spec every process shares, around its one container. Call with (dict "root" $ "component"
"gateway" "args" (list ...) "env" (list of {name,value}) "port" (dict "name" .. "containerPort" ..)
"resources" {...}).
*/}}
{{- define "axis-scim.podSpec" -}}
{{- $root := .root -}}
{{- $values := $root.Values -}}
serviceAccountName: {{ include "axis-scim.serviceAccountName" $root }}
automountServiceAccountToken: false
terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
securityContext:
  {{- toYaml $values.podSecurityContext | nindent 2 }}
{{- with $values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  - name: {{ .component }}
    image: {{ include "axis-scim.image" $root | quote }}
    imagePullPolicy: {{ $values.image.pullPolicy }}
    command: ["node", {{ printf "apps/%s/dist/main.js" .app | quote }}]
    ports:
      - name: {{ .port.name }}
        containerPort: {{ .port.containerPort }}
        protocol: TCP
    env:
      {{- toYaml .env | nindent 6 }}
      {{- if $values.kafka.tls.caSecret.name }}
      - name: KAFKA_SSL_CA_FILE
        value: /etc/axis/kafka-ca/{{ $values.kafka.tls.caSecret.key }}
      {{- end }}
    envFrom:
      - configMapRef:
          name: {{ include "axis-scim.fullname" $root }}
      - secretRef:
          name: {{ include "axis-scim.secretName" $root }}
    startupProbe:
      httpGet: { path: /healthz, port: {{ .port.name }} }
      {{- toYaml $values.probes.startup | nindent 6 }}
    livenessProbe:
      httpGet: { path: /healthz, port: {{ .port.name }} }
      {{- toYaml $values.probes.liveness | nindent 6 }}
    readinessProbe:
      httpGet: { path: /readyz, port: {{ .port.name }} }
      {{- toYaml $values.probes.readiness | nindent 6 }}
    resources:
      {{- toYaml .resources | nindent 6 }}
    securityContext:
      {{- toYaml $values.containerSecurityContext | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
      {{- if $values.kafka.tls.caSecret.name }}
      - name: kafka-ca
        mountPath: /etc/axis/kafka-ca
        readOnly: true
      {{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ $values.tmpSizeLimit }}
  {{- if $values.kafka.tls.caSecret.name }}
  - name: kafka-ca
    secret:
      secretName: {{ $values.kafka.tls.caSecret.name }}
      items:
        - key: {{ $values.kafka.tls.caSecret.key }}
          path: {{ $values.kafka.tls.caSecret.key }}
  {{- end }}
{{- with $values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Pod template metadata: labels, config checksums (a changed value restarts the pods), scrape annotations. */}}
{{- define "axis-scim.podMetadata" -}}
{{- $root := .root -}}
labels:
  {{- include "axis-scim.selectorLabels" . | nindent 2 }}
  {{- include "axis-scim.commonLabels" $root | nindent 2 }}
  {{- with $root.Values.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
annotations:
  checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
  {{- if not $root.Values.secrets.existingSecret }}
  checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
  {{- end }}
  {{- if $root.Values.metrics.podAnnotations }}
  prometheus.io/scrape: "true"
  prometheus.io/port: {{ .metricsPort | quote }}
  prometheus.io/path: /metrics
  {{- end }}
  {{- with $root.Values.podAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}
