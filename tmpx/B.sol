// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../contracts/token/OpenToken.sol";
import {DatanetRegistry} from "../contracts/datanet/DatanetRegistry.sol";
import {ModelRegistry} from "../contracts/model/ModelRegistry.sol";
import {AttributionRegistry} from "../contracts/attribution/AttributionRegistry.sol";
contract A is Test {
  function x() external { }
}
