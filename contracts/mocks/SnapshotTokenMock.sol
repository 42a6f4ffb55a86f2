// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @dev Test double of a distributed token (`totalSupply`, `snapshot`, `balanceOfAt`) whose `balanceOfAt` answers as
 * chosen, so that tests can check how RWADistributor's assembly call to it fails: a revert must bubble up
 * unchanged, a short answer must revert without data, as an interface call does.
 */
contract SnapshotTokenMock {
    enum Answer {
        Balance,
        Revert,
        Empty
    }

    /// @dev The token refused to answer about `account` at snapshot `id`.
    error SnapshotAnswerRefused(address account, uint32 id);

    uint256 public constant totalSupply = 1_000;
    uint32 public currentSnapshot;
    Answer public answer;

    function setAnswer(Answer answer_) external {
        answer = answer_;
    }

    function snapshot() external returns (uint32) {
        return ++currentSnapshot;
    }

    /// @dev Every account holds a quarter of the supply.
    function balanceOfAt(address account, uint32 id) external view returns (uint256) {
        if (answer == Answer.Revert) revert SnapshotAnswerRefused(account, id);
        if (answer == Answer.Empty) {
            assembly ("memory-safe") {
                return(0x00, 0x00)
            }
        }
        return totalSupply / 4;
    }
}
