// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {LeafLib} from "../libraries/LeafLib.sol";
import {LicenceLib} from "../libraries/LicenceLib.sol";

/// @title DatanetRegistry
/// @notice Datanets, their contributions and their published versions. See `IDatanetRegistry`.
/// @dev Storage per contribution is one slot (`Contribution`), keyed by
/// `keccak256(abi.encode(datanetId, contributor, contentHash))`, so the duplicate check reads the
/// same slot the submission writes, and only the contributor's own earlier submission of the same
/// content can make it a duplicate (nobody can squat a content hash). No admin, no upgrade path: every record is governed by its own owner.
contract DatanetRegistry is IDatanetRegistry, EIP712, Nonces {
    /// @notice EIP-712 type of a signed submission (`uri` is hashed as EIP-712 requires).
    bytes32 public constant SUBMIT_CONTRIBUTION_TYPEHASH = keccak256(
        "SubmitContribution(uint256 datanetId,address contributor,bytes32 contentHash,string uri,uint64 size,uint8 kind,uint256 nonce,uint256 deadline)"
    );

    uint256 private _datanetCount;
    mapping(uint256 datanetId => Datanet) private _datanets;
    /// @dev `1 + curatorGeneration` at appointment, 0 when not appointed: an appointment counts
    /// only while it equals `1 + _datanets[datanetId].curatorGeneration`.
    mapping(uint256 datanetId => mapping(address account => uint256)) private _curators;
    mapping(uint256 datanetId => mapping(address account => bool)) private _allowed;
    mapping(uint256 datanetId => mapping(bytes32 contributionId => Contribution)) private _contributions;
    mapping(uint256 datanetId => mapping(uint256 versionNumber => Version)) private _versions;

    /// @dev Reverts unless the caller owns the datanet (which also proves the datanet exists).
    modifier onlyDatanetOwner(uint256 datanetId) {
        _checkOwner(datanetId);
        _;
    }

    /// @dev Reverts unless the caller is the owner or a curator of an existing datanet.
    modifier onlyCurator(uint256 datanetId) {
        _checkCurator(datanetId);
        _;
    }

    constructor() EIP712("OpenLedger Datanet Registry", "1") {}

    // ------------------------------------------------------------------ datanets and roles

    /// @inheritdoc IDatanetRegistry
    function createDatanet(
        string calldata metadataURI,
        uint16 licence,
        ContributionPolicy policy
    ) external returns (uint256 datanetId) {
        if (!LicenceLib.isValid(licence)) revert InvalidLicence(licence);
        datanetId = ++_datanetCount;
        Datanet storage d = _datanets[datanetId];
        d.owner = msg.sender;
        d.licence = licence;
        d.policy = policy;
        d.metadataURI = metadataURI;
        emit DatanetCreated(datanetId, msg.sender, licence, policy, metadataURI);
    }

    /// @inheritdoc IDatanetRegistry
    function transferOwnership(uint256 datanetId, address newOwner) external onlyDatanetOwner(datanetId) {
        if (newOwner == address(0)) revert ZeroAddress();
        _datanets[datanetId].pendingOwner = newOwner;
        emit OwnershipTransferStarted(datanetId, msg.sender, newOwner);
    }

    /// @inheritdoc IDatanetRegistry
    function acceptOwnership(uint256 datanetId) external {
        Datanet storage d = _datanets[datanetId];
        // An unknown datanet has no pending owner, so it lands here too.
        if (d.pendingOwner != msg.sender || msg.sender == address(0))
            revert NotPendingOwner(datanetId, msg.sender);
        address previousOwner = d.owner;
        d.owner = msg.sender;
        d.pendingOwner = address(0);
        // Ends every appointment of earlier owners (`_isCurator` compares generations).
        ++d.curatorGeneration;
        emit OwnershipTransferred(datanetId, previousOwner, msg.sender);
    }

    /// @inheritdoc IDatanetRegistry
    function setCurator(
        uint256 datanetId,
        address curator,
        bool appointed
    ) external onlyDatanetOwner(datanetId) {
        if (curator == address(0)) revert ZeroAddress();
        _curators[datanetId][curator] = appointed ? uint256(_datanets[datanetId].curatorGeneration) + 1 : 0;
        emit CuratorSet(datanetId, curator, appointed);
    }

    /// @inheritdoc IDatanetRegistry
    function setContributionPolicy(
        uint256 datanetId,
        ContributionPolicy policy
    ) external onlyDatanetOwner(datanetId) {
        _datanets[datanetId].policy = policy;
        emit ContributionPolicySet(datanetId, policy);
    }

    /// @inheritdoc IDatanetRegistry
    function setContributorAllowed(
        uint256 datanetId,
        address account,
        bool allowed
    ) external onlyDatanetOwner(datanetId) {
        if (account == address(0)) revert ZeroAddress();
        _allowed[datanetId][account] = allowed;
        emit ContributorAllowed(datanetId, account, allowed);
    }

    // ------------------------------------------------------------------ contributions

    /// @inheritdoc IDatanetRegistry
    function submitContribution(
        uint256 datanetId,
        ContributionInput calldata input
    ) external returns (bytes32 contributionId) {
        _checkCanContribute(datanetId, msg.sender);
        contributionId = _submit(datanetId, msg.sender, input);
    }

    /// @inheritdoc IDatanetRegistry
    function submitContributions(uint256 datanetId, ContributionInput[] calldata inputs) external {
        uint256 n = inputs.length;
        if (n == 0) revert EmptyBatch();
        _checkCanContribute(datanetId, msg.sender);
        for (uint256 i = 0; i < n; ++i) {
            _submit(datanetId, msg.sender, inputs[i]);
        }
    }

    /// @inheritdoc IDatanetRegistry
    function submitContributionWithSignature(
        uint256 datanetId,
        address contributor,
        ContributionInput calldata input,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 contributionId) {
        if (block.timestamp > deadline) revert ExpiredSignature(deadline, block.timestamp);
        _useCheckedNonce(contributor, nonce);
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    SUBMIT_CONTRIBUTION_TYPEHASH,
                    datanetId,
                    contributor,
                    input.contentHash,
                    keccak256(bytes(input.uri)),
                    input.size,
                    input.kind,
                    nonce,
                    deadline
                )
            )
        );
        if (!SignatureChecker.isValidSignatureNow(contributor, digest, signature)) {
            revert InvalidSignature(contributor);
        }
        _checkCanContribute(datanetId, contributor);
        contributionId = _submit(datanetId, contributor, input);
    }

    /// @inheritdoc IDatanetRegistry
    function acceptContribution(uint256 datanetId, bytes32 contributionId) external onlyCurator(datanetId) {
        Contribution storage c = _pendingContribution(datanetId, contributionId);
        c.status = ContributionStatus.Accepted;
        ++_datanets[datanetId].acceptedCount;
        emit ContributionAccepted(datanetId, contributionId, msg.sender);
    }

    /// @inheritdoc IDatanetRegistry
    function rejectContribution(
        uint256 datanetId,
        bytes32 contributionId,
        uint16 reasonCode
    ) external onlyCurator(datanetId) {
        Contribution storage c = _pendingContribution(datanetId, contributionId);
        c.status = ContributionStatus.Rejected;
        emit ContributionRejected(datanetId, contributionId, msg.sender, reasonCode);
    }

    /// @inheritdoc IDatanetRegistry
    function acceptContributions(
        uint256 datanetId,
        bytes32[] calldata contributionIds
    ) external onlyCurator(datanetId) {
        uint256 n = contributionIds.length;
        if (n == 0) revert EmptyBatch();
        // One counter write for the batch; any item that is not Pending reverts the whole call.
        _datanets[datanetId].acceptedCount += uint64(n);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 contributionId = contributionIds[i];
            _pendingContribution(datanetId, contributionId).status = ContributionStatus.Accepted;
            emit ContributionAccepted(datanetId, contributionId, msg.sender);
        }
    }

    /// @inheritdoc IDatanetRegistry
    function rejectContributions(
        uint256 datanetId,
        bytes32[] calldata contributionIds,
        uint16 reasonCode
    ) external onlyCurator(datanetId) {
        uint256 n = contributionIds.length;
        if (n == 0) revert EmptyBatch();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 contributionId = contributionIds[i];
            _pendingContribution(datanetId, contributionId).status = ContributionStatus.Rejected;
            emit ContributionRejected(datanetId, contributionId, msg.sender, reasonCode);
        }
    }

    /// @inheritdoc IDatanetRegistry
    function withdrawContribution(uint256 datanetId, bytes32 contributionId) external {
        Contribution storage c = _contributions[datanetId][contributionId];
        ContributionStatus status = c.status;
        if (status == ContributionStatus.None) revert UnknownContribution(datanetId, contributionId);
        if (c.contributor != msg.sender) revert NotContributor(contributionId, msg.sender, c.contributor);
        if (status != ContributionStatus.Pending && status != ContributionStatus.Accepted) {
            revert InvalidContributionStatus(contributionId, status);
        }
        c.status = ContributionStatus.Withdrawn;
        if (status == ContributionStatus.Accepted) {
            // unchecked: an Accepted contribution was counted once in acceptContribution.
            unchecked {
                --_datanets[datanetId].acceptedCount;
            }
        }
        emit ContributionWithdrawn(datanetId, contributionId, msg.sender, status);
    }

    // ------------------------------------------------------------------ versions

    /// @inheritdoc IDatanetRegistry
    function publishVersion(
        uint256 datanetId,
        bytes32 merkleRoot,
        uint64 contributionCount,
        uint32 parentVersion,
        string calldata uri
    ) external onlyCurator(datanetId) returns (uint32 versionNumber) {
        if (merkleRoot == bytes32(0)) revert EmptyMerkleRoot();
        Datanet storage d = _datanets[datanetId];
        uint64 accepted = d.acceptedCount;
        if (contributionCount == 0 || contributionCount > accepted) {
            revert InvalidContributionCount(datanetId, contributionCount, accepted);
        }
        uint32 count = d.versionCount;
        if (parentVersion > count) revert UnknownVersion(datanetId, parentVersion);
        versionNumber = count + 1;
        d.versionCount = versionNumber;
        _versions[datanetId][versionNumber] = Version({
            merkleRoot: merkleRoot,
            contributionCount: contributionCount,
            parentVersion: parentVersion,
            publishedAt: uint48(block.timestamp)
        });
        emit VersionPublished(
            datanetId,
            versionNumber,
            msg.sender,
            merkleRoot,
            contributionCount,
            parentVersion,
            uri
        );
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IDatanetRegistry
    function datanetCount() external view returns (uint256) {
        return _datanetCount;
    }

    /// @inheritdoc IDatanetRegistry
    function datanet(uint256 datanetId) external view returns (Datanet memory) {
        _checkExists(datanetId);
        return _datanets[datanetId];
    }

    /// @inheritdoc IDatanetRegistry
    function isCurator(uint256 datanetId, address account) external view returns (bool) {
        return _isCurator(datanetId, account);
    }

    /// @inheritdoc IDatanetRegistry
    function curatorGeneration(uint256 datanetId) external view returns (uint32) {
        return _datanets[datanetId].curatorGeneration;
    }

    /// @inheritdoc IDatanetRegistry
    function isContributorAllowed(uint256 datanetId, address account) external view returns (bool) {
        return _allowed[datanetId][account];
    }

    /// @inheritdoc IDatanetRegistry
    function contribution(
        uint256 datanetId,
        bytes32 contributionId
    ) external view returns (Contribution memory) {
        return _contributions[datanetId][contributionId];
    }

    /// @inheritdoc IDatanetRegistry
    function contributionIdOf(
        uint256 datanetId,
        address contributor,
        bytes32 contentHash
    ) external pure returns (bytes32) {
        return _contributionId(datanetId, contributor, contentHash);
    }

    /// @inheritdoc IDatanetRegistry
    function version(uint256 datanetId, uint256 versionNumber) external view returns (Version memory) {
        _checkVersion(datanetId, versionNumber);
        return _versions[datanetId][versionNumber];
    }

    /// @inheritdoc IDatanetRegistry
    function latestVersion(
        uint256 datanetId
    ) external view returns (uint32 versionNumber, Version memory latest) {
        _checkExists(datanetId);
        versionNumber = _datanets[datanetId].versionCount;
        if (versionNumber == 0) revert UnknownVersion(datanetId, 0);
        latest = _versions[datanetId][versionNumber];
    }

    /// @inheritdoc IDatanetRegistry
    function versionLicence(
        uint256 datanetId,
        uint256 versionNumber
    ) external view returns (bool exists, uint16 licence) {
        Datanet storage d = _datanets[datanetId];
        // Unknown datanets have versionCount 0, so `exists` is false for them.
        exists = versionNumber != 0 && versionNumber <= d.versionCount;
        licence = d.licence;
    }

    /// @inheritdoc IDatanetRegistry
    function verifyContribution(
        uint256 datanetId,
        uint256 versionNumber,
        bytes32 contributionId,
        address contributor,
        bytes32 contentHash,
        bytes32[] calldata proof
    ) external view returns (bool) {
        _checkVersion(datanetId, versionNumber);
        // The id binds the contributor, so a record under it is that contributor's.
        if (contributionId != _contributionId(datanetId, contributor, contentHash)) return false;
        if (_contributions[datanetId][contributionId].status != ContributionStatus.Accepted) return false;
        return
            MerkleProof.verifyCalldata(
                proof,
                _versions[datanetId][versionNumber].merkleRoot,
                LeafLib.versionLeaf(contributionId, contributor, contentHash)
            );
    }

    /// @inheritdoc IDatanetRegistry
    function nonces(address contributor) public view override(IDatanetRegistry, Nonces) returns (uint256) {
        return super.nonces(contributor);
    }

    /// @inheritdoc IDatanetRegistry
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ------------------------------------------------------------------ internal

    /// @dev Records one Pending contribution; the caller checked the datanet and the contributor.
    function _submit(
        uint256 datanetId,
        address contributor,
        ContributionInput calldata input
    ) private returns (bytes32 contributionId) {
        bytes32 contentHash = input.contentHash;
        if (contentHash == bytes32(0)) revert EmptyContentHash();
        contributionId = _contributionId(datanetId, contributor, contentHash);
        Contribution storage c = _contributions[datanetId][contributionId];
        if (c.status != ContributionStatus.None) revert DuplicateContribution(datanetId, contributionId);
        // The whole record in one SSTORE, in Solidity's layout of `Contribution` (contributor in
        // bits 0..159, status 160..167, kind 168..175, size 176..239): field-by-field writes cost
        // a few hundred gas more per contribution even with the optimizer.
        uint256 packed =
            uint256(uint160(contributor)) |
                (uint256(uint8(ContributionStatus.Pending)) << 160) |
                (uint256(input.kind) << 168) |
                (uint256(input.size) << 176);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(c.slot, packed)
        }
        emit ContributionSubmitted(datanetId, contributionId, contributor, contentHash, input.uri);
    }

    /// @dev Reverts unless the datanet exists and `contributor` may contribute to it.
    function _checkCanContribute(uint256 datanetId, address contributor) private view {
        Datanet storage d = _datanets[datanetId];
        if (d.owner == address(0)) revert UnknownDatanet(datanetId);
        if (d.policy == ContributionPolicy.AllowList && !_allowed[datanetId][contributor]) {
            revert ContributorNotAllowed(datanetId, contributor);
        }
    }

    /// @dev The contribution, which must be Pending.
    function _pendingContribution(
        uint256 datanetId,
        bytes32 contributionId
    ) private view returns (Contribution storage c) {
        c = _contributions[datanetId][contributionId];
        ContributionStatus status = c.status;
        if (status == ContributionStatus.None) revert UnknownContribution(datanetId, contributionId);
        if (status != ContributionStatus.Pending) revert InvalidContributionStatus(contributionId, status);
    }

    /// @dev Reverts unless the caller owns the datanet.
    function _checkOwner(uint256 datanetId) private view {
        address owner = _datanets[datanetId].owner;
        if (owner == address(0)) revert UnknownDatanet(datanetId);
        if (owner != msg.sender) revert NotDatanetOwner(datanetId, msg.sender);
    }

    /// @dev Reverts unless the caller owns or curates the datanet.
    function _checkCurator(uint256 datanetId) private view {
        address owner = _datanets[datanetId].owner;
        if (owner == address(0)) revert UnknownDatanet(datanetId);
        if (owner != msg.sender && !_isCurator(datanetId, msg.sender))
            revert NotCurator(datanetId, msg.sender);
    }

    /// @dev Whether `account` was appointed in the datanet's current curator generation.
    function _isCurator(uint256 datanetId, address account) private view returns (bool) {
        return _curators[datanetId][account] == uint256(_datanets[datanetId].curatorGeneration) + 1;
    }

    /// @dev Reverts unless the datanet exists.
    function _checkExists(uint256 datanetId) private view {
        if (_datanets[datanetId].owner == address(0)) revert UnknownDatanet(datanetId);
    }

    /// @dev Reverts unless the datanet has this version.
    function _checkVersion(uint256 datanetId, uint256 versionNumber) private view {
        _checkExists(datanetId);
        if (versionNumber == 0 || versionNumber > _datanets[datanetId].versionCount) {
            revert UnknownVersion(datanetId, versionNumber);
        }
    }

    /// @dev `keccak256(abi.encode(datanetId, contributor, contentHash))`.
    function _contributionId(
        uint256 datanetId,
        address contributor,
        bytes32 contentHash
    ) private pure returns (bytes32 id) {
        // abi.encode's three words hashed in place above the free memory pointer, which stays
        // where it is: 137 gas less per submission than `keccak256(abi.encode(...))` (measured).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, datanetId)
            mstore(add(p, 0x20), and(contributor, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(p, 0x40), contentHash)
            id := keccak256(p, 0x60)
        }
    }
}
