{{/* The chart's name, overridable. */}}
{{- define "cache-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name. Truncated to 63 characters because some Kubernetes name fields are limited to
that (DNS-1123 labels); the release name alone is used when it already contains the chart's name.
*/}}
{{- define "cache-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "cache-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "cache-operator.labels" -}}
helm.sh/chart: {{ include "cache-operator.chart" . }}
{{ include "cache-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: cache-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the operator's pods; they never change across upgrades. */}}
{{- define "cache-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cache-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "cache-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cache-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator's own image. */}}
{{- define "cache-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* The default image of CacheCluster pods (nodes and routers). */}}
{{- define "cache-operator.cacheNodeImage" -}}
{{- printf "%s:%s" .Values.cacheNode.image.repository (.Values.cacheNode.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* The rules the operator needs on the objects it reconciles, shared by the ClusterRole and the Role. */}}
{{- define "cache-operator.managerRules" -}}
- apiGroups: ["cacheoperator.io"]
  resources: ["cacheclusters"]
  verbs: ["get", "list", "watch"]
# The operator writes status only, never spec: Argo CD or Flux own the spec.
- apiGroups: ["cacheoperator.io"]
  resources: ["cacheclusters/status"]
  verbs: ["update", "patch"]
# Owner references with blockOwnerDeletion need update on the owner's finalizers.
- apiGroups: ["cacheoperator.io"]
  resources: ["cacheclusters/finalizers"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["statefulsets", "deployments"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["services", "configmaps", "secrets", "serviceaccounts"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# Pod updates: the operator deletes node pods one at a time to roll out a new template (OnDelete StatefulSets).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
