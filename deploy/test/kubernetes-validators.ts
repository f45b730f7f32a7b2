// Maps rendered objects to kubernetes-models' validators (the Kubernetes OpenAPI schemas,
// compiled; the prometheus-operator models for ServiceMonitor and PrometheusRule). An
// object whose kind has no schema here is an error, never a silent pass.
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";

type Model = new (data: never) => { validate(): void };
const MODELS: Record<string, Model> = {
  "v1/ConfigMap": ConfigMap as unknown as Model,
  "v1/Secret": Secret as unknown as Model,
  "v1/Service": Service as unknown as Model,
  "v1/ServiceAccount": ServiceAccount as unknown as Model,
  "apps/v1/Deployment": Deployment as unknown as Model,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler as unknown as Model,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy as unknown as Model,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget as unknown as Model,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor as unknown as Model,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule as unknown as Model,
};

/** The schema violations of `manifest` (empty when valid), each naming where. */
export function validateManifest(manifest: { apiVersion: string; kind: string; metadata?: unknown }): string[] {
  const model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (model === undefined) return [`${manifest.apiVersion} ${manifest.kind}: no schema known for this kind`];
  try {
    new model(structuredClone(manifest) as never).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: Array<{ instancePath?: string; message?: string }> }).errors;
    if (details === undefined) return [String(error)];
    return details.map((detail) => `${manifest.kind}${detail.instancePath ?? ""}: ${detail.message ?? "invalid"}`);
  }
}
