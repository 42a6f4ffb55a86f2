import type {
  ArgumentType,
  IgnitionModuleBuilder,
  NamedArtifactContractAtFuture,
  NamedArtifactContractDeploymentFuture,
} from "@nomicfoundation/ignition-core";
import { encodeBytes32String, id } from "ethers";

/** A module's name as TrustDirectory stores it. */
export function moduleName(name: string): string {
  return encodeBytes32String(name);
}

/** 4-byte selectors of the given function signatures, for AccessManager.setTargetFunctionRole. */
export function selectors(...signatures: string[]): string[] {
  return signatures.map((signature) => id(signature).slice(0, 10));
}


/**
 * Deploys `contractName` as a UUPS implementation behind an ERC1967Proxy initialized with `initialize(...initArgs)`,
 * and returns the proxy typed as the implementation's ABI.
 */
export function deployProxy<NameT extends string>(
  m: IgnitionModuleBuilder,
  contractName: NameT,
  constructorArgs: ArgumentType[],
  initArgs: ArgumentType[],
): {
  implementation: NamedArtifactContractDeploymentFuture<NameT>;
  proxy: NamedArtifactContractAtFuture<NameT>;
} {
  const implementation = m.contract(contractName, constructorArgs, { id: `${contractName}Implementation` });
  const initData = m.encodeFunctionCall(implementation, "initialize", initArgs);
  const erc1967 = m.contract("ERC1967Proxy", [implementation, initData], { id: `${contractName}Proxy` });
  const proxy = m.contractAt(contractName, erc1967, { id: contractName });
  return { implementation, proxy };
}
