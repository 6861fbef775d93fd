// The clusters an infrastructure-as-code document declares, judged (docs/ci.md "Infrastructure as code").

import type { IacFormat } from "./detect-iac";
import type { IacCluster } from "./iac-cluster";
import { judgeIacCluster, type IacJudgement } from "./judge-iac";
import { readArmClusters } from "./read-arm-template";
import { readTerraformClusters } from "./read-terraform-plan";

export function readIacClusters(format: IacFormat, value: unknown): IacCluster[] {
  return format === "terraform" ? readTerraformClusters(value) : readArmClusters(value);
}

/** Every cluster of a document with its judgement, in the order the document declares them. */
export function judgeIacDocument(format: IacFormat, value: unknown): IacJudgement[] {
  return readIacClusters(format, value).map(judgeIacCluster);
}
