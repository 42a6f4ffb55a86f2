// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @dev Test double standing in for both identity registries (`isController` of the DID registry, `hasValid` of the
 * credential registry) with a chosen answer, so that tests can check how RWAToken's assembly calls to them fail:
 * a revert must bubble up unchanged, a short or non-bool answer must revert without data, as an interface call does.
 */
contract IdentityAnswerMock {
    enum Answer {
        Yes,
        No,
        Revert,
        Empty,
        NotABool
    }

    /// @dev The registry refused to answer about `identity`.
    error IdentityAnswerRefused(address identity);

    Answer public controllerAnswer;
    Answer public credentialAnswer;

    function setAnswers(Answer controller, Answer credential) external {
        controllerAnswer = controller;
        credentialAnswer = credential;
    }

    function isController(address identity, address, bytes32) external view returns (bool) {
        return _answer(controllerAnswer, identity);
    }

    function hasValid(address subject, uint32) external view returns (bool) {
        return _answer(credentialAnswer, subject);
    }

    function _answer(Answer answer, address identity) private pure returns (bool) {
        if (answer == Answer.Revert) revert IdentityAnswerRefused(identity);
        if (answer == Answer.Empty) {
            assembly ("memory-safe") {
                return(0x00, 0x00)
            }
        }
        if (answer == Answer.NotABool) {
            assembly ("memory-safe") {
                mstore(0x00, 2)
                return(0x00, 0x20)
            }
        }
        return answer == Answer.Yes;
    }
}
