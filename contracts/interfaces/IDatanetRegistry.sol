// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Datanet registry: datasets, their contributions and their published versions
/// @notice A datanet has an owner (transferable in two steps), curators the owner appoints, a
/// metadata URI, a licence (bit set of allowed uses, see `LicenceLib`) and a contribution policy.
/// Contributors submit content hashes (directly, in batches, or signed with EIP-712 and relayed
/// by anyone); curators accept or reject them; a contributor can withdraw consent. The owner or a
/// curator publishes versions: a Merkle root over the accepted, non-withdrawn contributions.
/// @dev Warning: the contract cannot enumerate a version's contents. That a version contains only
/// accepted, non-withdrawn contributions is established off-chain by whoever builds the tree (the
/// SDK). On-chain, `verifyContribution` returns false for any contribution whose current status
/// is not Accepted, so a withdrawn (or rejected) contribution never verifies in any version.
/// @dev Warning: the owner is implicitly a curator. Curator appointments end with the owner who
/// made them: accepting ownership starts a new curator generation (`curatorGeneration`), and
/// every appointment of an earlier generation stops counting at once (`isCurator` is false for
/// it), so a previous owner that appointed itself or its allies curates nothing after the
/// transfer. The new owner re-appoints whom it trusts.
/// @dev Warning: the licence is fixed at creation: it is the promise made to contributors.
/// @dev Warning: a contribution id binds its contributor (`contributionIdOf`), and a submission
/// is a duplicate only of the same contributor's earlier submission of the same content to the
/// same datanet. Nobody can lock an author out by submitting the author's content hash first (a
/// mempool watcher, or the relayer of a signed submission, who always records the signer). Two
/// contributors may therefore hold the same content in one datanet: curators see both (with
/// their submission order in the events) and decide; attribution shares a span of that content
/// equally between the accepted holders.
interface IDatanetRegistry {
    // ------------------------------------------------------------------ errors

    /// @notice No datanet has this id (ids start at 1).
    /// @param datanetId The id asked for.
    error UnknownDatanet(uint256 datanetId);

    /// @notice The datanet has no version with this number (numbers start at 1 per datanet).
    /// @param versionNumber The version asked for.
    error UnknownVersion(uint256 datanetId, uint256 versionNumber);

    /// @notice The datanet has no contribution with this id.
    /// @param contributionId The contribution asked for.
    error UnknownContribution(uint256 datanetId, bytes32 contributionId);

    /// @notice The licence sets a reserved bit.
    /// @param licence The licence given.
    error InvalidLicence(uint16 licence);

    /// @notice An address argument is the zero address.
    error ZeroAddress();

    /// @notice The caller is not the owner of the datanet.
    error NotDatanetOwner(uint256 datanetId, address caller);

    /// @notice The caller is not the pending owner of the datanet.
    error NotPendingOwner(uint256 datanetId, address caller);

    /// @notice The caller is neither the owner nor a curator of the datanet.
    error NotCurator(uint256 datanetId, address caller);

    /// @notice The datanet is allow-listed and the contributor is not on its list.
    /// @param contributor The contributor refused.
    error ContributorNotAllowed(uint256 datanetId, address contributor);

    /// @notice A content hash is zero.
    error EmptyContentHash();

    /// @notice The same contributor already submitted the same content to this datanet (whatever
    /// its status now). Another contributor's submission of that content never makes it one.
    /// @param contributionId The contributor's existing contribution with that content.
    error DuplicateContribution(uint256 datanetId, bytes32 contributionId);

    /// @notice A batch submission holds no contribution.
    error EmptyBatch();

    /// @notice The contribution is not in a status that allows this transition.
    /// @param status Its current status.
    error InvalidContributionStatus(bytes32 contributionId, ContributionStatus status);

    /// @notice Only the contributor can withdraw a contribution.
    error NotContributor(bytes32 contributionId, address caller, address contributor);

    /// @notice The signed submission's deadline has passed.
    /// @param deadline The deadline signed.
    /// @param timestamp The current block timestamp.
    error ExpiredSignature(uint256 deadline, uint256 timestamp);

    /// @notice The signature is not the contributor's signature over this submission and nonce.
    /// @param contributor The contributor the submission claims.
    error InvalidSignature(address contributor);

    /// @notice A version's Merkle root is zero.
    error EmptyMerkleRoot();

    /// @notice A version must count at least one and at most the currently accepted contributions.
    /// @param contributionCount The count given.
    /// @param acceptedCount The datanet's accepted, non-withdrawn contributions now.
    error InvalidContributionCount(uint256 datanetId, uint256 contributionCount, uint256 acceptedCount);

    // ------------------------------------------------------------------ types

    /// @notice Who may submit contributions.
    /// @param Open Anyone.
    /// @param AllowList Only accounts on the datanet's allow list (managed by the owner).
    enum ContributionPolicy {
        Open,
        AllowList
    }

    /// @notice Life cycle of a contribution. Pending -> Accepted | Rejected | Withdrawn;
    /// Accepted -> Withdrawn. Rejected and Withdrawn are final.
    /// @param None Never submitted.
    /// @param Pending Submitted, waiting for a curator.
    /// @param Accepted Accepted by a curator: may be included in versions.
    /// @param Rejected Rejected by a curator (final).
    /// @param Withdrawn Consent withdrawn by the contributor (final).
    enum ContributionStatus {
        None,
        Pending,
        Accepted,
        Rejected,
        Withdrawn
    }

    /// @notice A datanet as stored.
    /// @param licence Bit set of allowed uses (`LicenceLib`), fixed at creation.
    /// @param policy Who may contribute.
    /// @param versionCount Versions published so far (the latest version's number).
    /// @param curatorGeneration Ownership changes so far; only appointments made in the current
    /// generation count (see `isCurator`). In the owner's slot, which every curator check reads.
    /// @param pendingOwner The account that may accept ownership, or zero.
    /// @param acceptedCount Contributions accepted and not withdrawn, now.
    /// @param metadataURI Where the datanet's description lives.
    struct Datanet {
        address owner;
        uint16 licence;
        ContributionPolicy policy;
        uint32 versionCount;
        uint32 curatorGeneration;
        address pendingOwner;
        uint64 acceptedCount;
        string metadataURI;
    }

    /// @notice A contribution as stored: one storage slot. Its URI is only in the
    /// `ContributionSubmitted` event; its content hash is bound by its id.
    /// @param contributor Who submitted it (the signer, for a signed submission).
    /// @param kind An application-defined content kind (e.g. 0 text, 1 image, 2 audio).
    /// @param size The content size in bytes, as declared by the contributor.
    // 20 + 1 + 1 + 8 bytes: one slot (the linter's packing heuristic misreads the enum).
    // solhint-disable-next-line gas-struct-packing
    struct Contribution {
        address contributor;
        ContributionStatus status;
        uint8 kind;
        uint64 size;
    }

    /// @notice One contribution to submit.
    /// @param contentHash The hash of the content (non-zero; unique per contributor and datanet).
    /// @param uri Where the content lives (emitted, not stored).
    /// @param size The content size in bytes.
    /// @param kind The content kind.
    struct ContributionInput {
        bytes32 contentHash;
        string uri;
        uint64 size;
        uint8 kind;
    }

    /// @notice A published version.
    /// @param merkleRoot Root of the StandardMerkleTree of `LeafLib.versionLeaf` leaves.
    /// @param contributionCount The number of leaves.
    /// @param parentVersion The version it derives from, 0 for none.
    /// @param publishedAt Block timestamp of publication.
    struct Version {
        bytes32 merkleRoot;
        uint64 contributionCount;
        uint32 parentVersion;
        uint48 publishedAt;
    }

    // ------------------------------------------------------------------ events

    /// @notice A datanet was created.
    /// @param datanetId Its id.
    /// @param owner Its owner (the creator).
    /// @param licence Its licence bits.
    /// @param policy Its contribution policy.
    event DatanetCreated(
        uint256 indexed datanetId,
        address indexed owner,
        uint16 licence,
        ContributionPolicy policy,
        string metadataURI
    );

    /// @notice The owner started a two-step ownership transfer.
    /// @param owner The current owner.
    /// @param pendingOwner The account that may now accept.
    event OwnershipTransferStarted(
        uint256 indexed datanetId,
        address indexed owner,
        address indexed pendingOwner
    );

    /// @notice The pending owner accepted ownership. Every curator appointment of the previous
    /// owner ended with it (the curator generation moved on): an indexer drops the datanet's
    /// appointed curators here.
    /// @param previousOwner The former owner.
    event OwnershipTransferred(
        uint256 indexed datanetId,
        address indexed previousOwner,
        address indexed newOwner
    );

    /// @notice The owner appointed or removed a curator (an appointment lasts until removed or
    /// until ownership next changes hands).
    /// @param curator The account.
    /// @param appointed True if appointed, false if removed.
    event CuratorSet(uint256 indexed datanetId, address indexed curator, bool appointed);

    /// @notice The owner changed the contribution policy.
    /// @param policy The new policy.
    event ContributionPolicySet(uint256 indexed datanetId, ContributionPolicy policy);

    /// @notice The owner added an account to, or removed it from, the allow list.
    /// @param allowed True if added, false if removed.
    event ContributorAllowed(uint256 indexed datanetId, address indexed account, bool allowed);

    /// @notice A contribution was submitted (status Pending).
    /// @dev Size and kind are not emitted: they sit in the contribution's storage slot
    /// (`contribution()`), and leaving them out keeps a batch item under 30,000 gas.
    /// @param contributionId `keccak256(abi.encode(datanetId, contributor, contentHash))`.
    /// @param uri Where the content lives.
    event ContributionSubmitted(
        uint256 indexed datanetId,
        bytes32 indexed contributionId,
        address indexed contributor,
        bytes32 contentHash,
        string uri
    );

    /// @notice A curator accepted a contribution.
    /// @param curator The curator (or owner) who accepted it.
    event ContributionAccepted(
        uint256 indexed datanetId,
        bytes32 indexed contributionId,
        address indexed curator
    );

    /// @notice A curator rejected a contribution.
    /// @param curator The curator (or owner) who rejected it.
    /// @param reasonCode An application-defined reason code.
    event ContributionRejected(
        uint256 indexed datanetId,
        bytes32 indexed contributionId,
        address indexed curator,
        uint16 reasonCode
    );

    /// @notice A contributor withdrew consent for a contribution.
    /// @param previousStatus Pending or Accepted.
    event ContributionWithdrawn(
        uint256 indexed datanetId,
        bytes32 indexed contributionId,
        address indexed contributor,
        ContributionStatus previousStatus
    );

    /// @notice A version was published.
    /// @param versionNumber Its number (1-based per datanet).
    /// @param publisher The owner or curator who published it.
    /// @param contributionCount The number of leaves.
    /// @param parentVersion Its parent, 0 for none.
    /// @param uri Where the full list of contributions lives.
    event VersionPublished(
        uint256 indexed datanetId,
        uint256 indexed versionNumber,
        address indexed publisher,
        bytes32 merkleRoot,
        uint64 contributionCount,
        uint32 parentVersion,
        string uri
    );

    // ------------------------------------------------------------------ datanets and roles

    /// @notice Creates a datanet owned by the caller.
    /// @param metadataURI Where the description lives.
    /// @param licence Bit set of allowed uses; reverts `InvalidLicence` on a reserved bit.
    /// @param policy Who may contribute.
    /// @return datanetId The new id (ids start at 1).
    function createDatanet(
        string calldata metadataURI,
        uint16 licence,
        ContributionPolicy policy
    ) external returns (uint256 datanetId);

    /// @notice Starts a two-step ownership transfer; a later call replaces the pending owner.
    /// @dev Reverts `NotDatanetOwner` for another caller, `ZeroAddress` for a zero `newOwner`.
    /// @param newOwner The account that may accept.
    function transferOwnership(uint256 datanetId, address newOwner) external;

    /// @notice The pending owner takes ownership, and every curator appointment of earlier owners
    /// ends (the curator generation is incremented).
    /// @dev Reverts `NotPendingOwner` for another caller.
    function acceptOwnership(uint256 datanetId) external;

    /// @notice The owner appoints or removes a curator; an appointment is valid in the current
    /// curator generation only (it ends when ownership changes hands).
    /// @param curator The account (non-zero).
    /// @param appointed True to appoint, false to remove.
    function setCurator(uint256 datanetId, address curator, bool appointed) external;

    /// @notice The owner sets the contribution policy.
    /// @param policy The new policy.
    function setContributionPolicy(uint256 datanetId, ContributionPolicy policy) external;

    /// @notice The owner adds an account to, or removes it from, the allow list.
    /// @param account The account (non-zero).
    /// @param allowed True to add, false to remove.
    function setContributorAllowed(uint256 datanetId, address account, bool allowed) external;

    // ------------------------------------------------------------------ contributions

    /// @notice Submits one contribution as the caller.
    /// @dev Reverts `UnknownDatanet`, `ContributorNotAllowed`, `EmptyContentHash`, `DuplicateContribution`.
    /// @param input The contribution.
    /// @return contributionId Its id.
    function submitContribution(
        uint256 datanetId,
        ContributionInput calldata input
    ) external returns (bytes32 contributionId);

    /// @notice Submits many contributions as the caller, in one transaction (all or none).
    /// @dev Reverts as `submitContribution`, and `EmptyBatch` for an empty list. Returns nothing
    /// (a batch's ids are `contributionIdOf(datanetId, msg.sender, contentHash)` and in the
    /// events), which
    /// keeps the per-item cost down.
    /// @param inputs The contributions.
    function submitContributions(uint256 datanetId, ContributionInput[] calldata inputs) external;

    /// @notice Submits a contribution signed by `contributor` (EIP-712, `SubmitContribution`
    /// type); anyone may relay it. The contributor, not the relayer, is recorded.
    /// @dev Reverts `ExpiredSignature` after the deadline, `Nonces.InvalidAccountNonce` when
    /// `nonce` is not the contributor's current nonce (a replay), `InvalidSignature` when the
    /// signature is not the contributor's (EOA or ERC-1271), then as `submitContribution`.
    /// @param contributor The signer.
    /// @param input The contribution.
    /// @param nonce The contributor's current nonce (`nonces(contributor)`).
    /// @param deadline Last valid block timestamp.
    /// @param signature The contributor's signature.
    /// @return contributionId Its id.
    function submitContributionWithSignature(
        uint256 datanetId,
        address contributor,
        ContributionInput calldata input,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 contributionId);

    /// @notice A curator (or the owner) accepts a Pending contribution.
    /// @dev Reverts `NotCurator`, `UnknownContribution`, `InvalidContributionStatus`.
    function acceptContribution(uint256 datanetId, bytes32 contributionId) external;

    /// @notice A curator (or the owner) rejects a Pending contribution (final).
    /// @dev Reverts `NotCurator`, `UnknownContribution`, `InvalidContributionStatus`.
    /// @param reasonCode An application-defined reason code, emitted.
    function rejectContribution(uint256 datanetId, bytes32 contributionId, uint16 reasonCode) external;

    /// @notice A curator (or the owner) accepts many Pending contributions in one transaction (all
    /// or none), with the same checks and one `ContributionAccepted` event per item, as
    /// `acceptContribution` would, for a fraction of the gas per item (test/gas pins it).
    /// @dev Reverts `NotCurator`, `EmptyBatch` for an empty list, and `UnknownContribution` /
    /// `InvalidContributionStatus` for the first item that is not Pending (an id listed twice is
    /// Accepted by its second occurrence, so it reverts too).
    /// @param contributionIds The contributions.
    function acceptContributions(uint256 datanetId, bytes32[] calldata contributionIds) external;

    /// @notice A curator (or the owner) rejects many Pending contributions in one transaction (all
    /// or none, final), with one reason code and one `ContributionRejected` event per item.
    /// @dev Reverts as `acceptContributions`.
    /// @param contributionIds The contributions.
    /// @param reasonCode An application-defined reason code, emitted for each.
    function rejectContributions(
        uint256 datanetId,
        bytes32[] calldata contributionIds,
        uint16 reasonCode
    ) external;

    /// @notice The contributor withdraws consent for a Pending or Accepted contribution (final).
    /// A withdrawn contribution never verifies again and must be left out of later versions.
    /// @dev Reverts `UnknownContribution`, `NotContributor`, `InvalidContributionStatus`.
    function withdrawContribution(uint256 datanetId, bytes32 contributionId) external;

    // ------------------------------------------------------------------ versions

    /// @notice The owner or a curator publishes the next version of the datanet.
    /// @dev Reverts `NotCurator`, `EmptyMerkleRoot`, `InvalidContributionCount`, `UnknownVersion`
    /// (parent). The root must be built over accepted, non-withdrawn contributions (off-chain).
    /// @param merkleRoot StandardMerkleTree root of `LeafLib.versionLeaf` leaves.
    /// @param contributionCount Its number of leaves (1..acceptedCount).
    /// @param parentVersion An existing version of this datanet, or 0 for none.
    /// @param uri Where the full list lives (emitted, not stored).
    /// @return versionNumber The new version's number.
    function publishVersion(
        uint256 datanetId,
        bytes32 merkleRoot,
        uint64 contributionCount,
        uint32 parentVersion,
        string calldata uri
    ) external returns (uint32 versionNumber);

    // ------------------------------------------------------------------ views

    /// @notice Number of datanets created (the latest id).
    /// @return The count.
    function datanetCount() external view returns (uint256);

    /// @notice A datanet. Reverts `UnknownDatanet`.
    /// @return The stored record.
    function datanet(uint256 datanetId) external view returns (Datanet memory);

    /// @notice Whether an account is a curator appointed by the current owner (the owner is one
    /// implicitly). Appointments made before the last ownership change are not.
    /// @return True if appointed in the current curator generation.
    function isCurator(uint256 datanetId, address account) external view returns (bool);

    /// @notice The datanet's curator generation: the number of ownership changes so far. Only
    /// appointments made in this generation count.
    /// @param datanetId The datanet (0 for an unknown one).
    /// @return The generation.
    function curatorGeneration(uint256 datanetId) external view returns (uint32);

    /// @notice Whether an account is on the allow list (only read under the AllowList policy).
    /// @return True if listed.
    function isContributorAllowed(uint256 datanetId, address account) external view returns (bool);

    /// @notice A contribution (status None and zero fields if unknown).
    /// @return The stored record.
    function contribution(
        uint256 datanetId,
        bytes32 contributionId
    ) external view returns (Contribution memory);

    /// @notice The id a contributor's content gets in a datanet:
    /// `keccak256(abi.encode(datanetId, contributor, contentHash))`. The id binds the contributor,
    /// so two contributors who submit the same content hold two contributions with two ids.
    /// @param contributor The contributor (the signer, for a signed submission).
    /// @return The contribution id.
    function contributionIdOf(
        uint256 datanetId,
        address contributor,
        bytes32 contentHash
    ) external pure returns (bytes32);

    /// @notice A published version. Reverts `UnknownDatanet`, `UnknownVersion`.
    /// @param versionNumber The version (1-based).
    /// @return The stored version.
    function version(uint256 datanetId, uint256 versionNumber) external view returns (Version memory);

    /// @notice The latest version. Reverts `UnknownDatanet`, and `UnknownVersion(datanetId, 0)`
    /// when none was published.
    /// @return versionNumber Its number.
    /// @return latest The stored version.
    function latestVersion(
        uint256 datanetId
    ) external view returns (uint32 versionNumber, Version memory latest);

    /// @notice What the model registry checks of a training input, in one call.
    /// @param datanetId The datanet (unknown ids give `exists == false`).
    /// @return exists True if the datanet has that version.
    /// @return licence The datanet's licence (0 if the datanet is unknown).
    function versionLicence(
        uint256 datanetId,
        uint256 versionNumber
    ) external view returns (bool exists, uint16 licence);

    /// @notice Whether a contribution is in a version and still Accepted.
    /// @dev Returns false when the contribution's current status is not Accepted (a withdrawn
    /// contribution never verifies, whatever the root), when `contributionId` is not the id of
    /// `contributor`'s `contentHash` in this datanet (the id binds the contributor), or when the
    /// proof fails. Reverts `UnknownDatanet` / `UnknownVersion` for unknown ids.
    /// @param proof The StandardMerkleTree proof of `LeafLib.versionLeaf(contributionId, contributor, contentHash)`.
    /// @return True if proven.
    function verifyContribution(
        uint256 datanetId,
        uint256 versionNumber,
        bytes32 contributionId,
        address contributor,
        bytes32 contentHash,
        bytes32[] calldata proof
    ) external view returns (bool);

    /// @notice The next nonce of a contributor for signed submissions.
    /// @return The nonce to sign.
    function nonces(address contributor) external view returns (uint256);

    /// @notice The EIP-712 domain separator (name "OpenLedger Datanet Registry", version "1",
    /// this chain's id, this contract).
    /// @return The separator.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
