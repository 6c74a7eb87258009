/** `stagecraft ci init`: CI workflows generated from stagecraft.yaml. */
export { CiCodes } from './errors.ts';
export { type GeneratedFile, githubWorkflows } from './github.ts';
export { gitlabPipeline } from './gitlab.ts';
export { ACTION_PINS, type ActionPin, type PinName } from './pins.ts';
export { type CiPlan, type DeployTarget, planCi } from './plan.ts';
export { compareOnDisk, type OnDisk, renderFile } from './render.ts';
