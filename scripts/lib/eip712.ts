/**
 * EIP-712 types of the suite's signed operations, as ethers' signTypedData takes them
 * (the primary type first; nested types alongside).
 */
export const changeOwnerTypes = {
  ChangeOwner: [
    { name: "identity", type: "address" },
    { name: "newOwner", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export const presentationTypes = {
  Presentation: [
    { name: "holder", type: "address" },
    { name: "verifier", type: "address" },
    { name: "credentialIds", type: "bytes32[]" },
    { name: "validUntil", type: "uint256" },
  ],
};
